namespace Hardware.Emulator.Sata;

/// <summary>Register FIS, device to host (type 34h, 20 bytes): command completion status, or the signature after reset.</summary>
public struct RegisterD2HFis
{
    public const int Size = 20;

    public byte PortMultiplierPort;
    /// <summary>Byte 1 bit 6: the host should raise an interrupt (PxIS.DHRS).</summary>
    public bool Interrupt;
    public AtaStatus Status;
    public AtaError Error;
    public ulong Lba;
    public byte Device;
    public ushort Count;

    public static RegisterD2HFis Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a register D2H FIS is {Size} bytes", nameof(source));
        return new RegisterD2HFis
        {
            PortMultiplierPort = (byte)(source[1] & 0x0F),
            Interrupt = (source[1] & 0x40) != 0,
            Status = (AtaStatus)source[2],
            Error = (AtaError)source[3],
            Lba = FisLba.Read(source),
            Device = source[7],
            Count = (ushort)(source[12] | source[13] << 8),
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a register D2H FIS is {Size} bytes", nameof(destination));
        destination[..Size].Clear();
        destination[0] = (byte)FisType.RegisterDeviceToHost;
        destination[1] = (byte)((PortMultiplierPort & 0x0F) | (Interrupt ? 0x40 : 0));
        destination[2] = (byte)Status;
        destination[3] = (byte)Error;
        FisLba.Write(destination, Lba);
        destination[7] = Device;
        destination[12] = (byte)Count;
        destination[13] = (byte)(Count >> 8);
    }

    /// <summary>The 32-bit signature a host assembles into PxSIG: Count 7:0, LBA 7:0, LBA 15:8, LBA 23:16.</summary>
    public readonly uint Signature => (uint)(Count & 0xFF) | (uint)(Lba & 0xFFFFFF) << 8;
}
