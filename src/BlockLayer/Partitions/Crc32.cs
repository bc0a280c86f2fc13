namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// CRC-32 as IEEE 802.3 and zlib define it (reflected, polynomial 0xEDB88320, initial and final value
/// 0xFFFFFFFF): the checksum of GPT headers and partition entry arrays.
/// </summary>
public static class Crc32
{
    public const uint ReflectedPolynomial = 0xEDB88320;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a finished CRC over more bytes (zlib's crc32(crc, buf) convention), so a checksum over
    /// pieces equals the checksum over their concatenation.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        foreach (byte b in data)
            state = Table[(byte)(state ^ b)] ^ (state >> 8);
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
