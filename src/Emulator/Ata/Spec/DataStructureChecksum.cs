namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// The checksum ACS-3 puts in the last byte of IDENTIFY data and of log pages: the two's complement of the sum of the
/// other 511 bytes, so that all 512 bytes add up to zero modulo 256.
/// </summary>
public static class DataStructureChecksum
{
    /// <summary>The checksum byte for <paramref name="block"/>, ignoring its current last byte.</summary>
    public static byte Compute(ReadOnlySpan<byte> block)
    {
        byte sum = 0;
        for (int i = 0; i < block.Length - 1; i++)
            sum += block[i];
        return (byte)-sum;
    }

    public static bool IsValid(ReadOnlySpan<byte> block)
    {
        byte sum = 0;
        foreach (byte b in block)
            sum += b;
        return sum == 0;
    }
}
