namespace Hardware.Emulator.Sata;

/// <summary>
/// The 48-bit LBA as register FISes (and the NCQ error log, which copies their layout) carry it: bits 23:0 in
/// bytes 4-6, bits 47:24 in bytes 8-10, with the Device register in byte 7 between them.
/// </summary>
public static class FisLba
{
    public static ulong Read(ReadOnlySpan<byte> fis) =>
        fis[4] | (ulong)fis[5] << 8 | (ulong)fis[6] << 16 | (ulong)fis[8] << 24 | (ulong)fis[9] << 32 | (ulong)fis[10] << 40;

    public static void Write(Span<byte> fis, ulong lba)
    {
        fis[4] = (byte)lba;
        fis[5] = (byte)(lba >> 8);
        fis[6] = (byte)(lba >> 16);
        fis[8] = (byte)(lba >> 24);
        fis[9] = (byte)(lba >> 32);
        fis[10] = (byte)(lba >> 40);
    }
}
