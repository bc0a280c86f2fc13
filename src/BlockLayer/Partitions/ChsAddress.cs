namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// A cylinder/head/sector address as an MBR entry stores it in 3 bytes: head, then sector in bits 0-5 with
/// cylinder bits 8-9 in bits 6-7, then cylinder bits 0-7. Kept only to round-trip entries: Linux, like every
/// modern reader, uses the LBA fields.
/// </summary>
public readonly record struct ChsAddress(byte Head, byte SectorAndCylinderHigh, byte CylinderLow)
{
    public const int Size = 3;

    public int Sector => SectorAndCylinderHigh & 0x3F;
    public int Cylinder => ((SectorAndCylinderHigh & 0xC0) << 2) | CylinderLow;

    public static ChsAddress Read(ReadOnlySpan<byte> source) => new(source[0], source[1], source[2]);

    public void Write(Span<byte> destination)
    {
        destination[0] = Head;
        destination[1] = SectorAndCylinderHigh;
        destination[2] = CylinderLow;
    }
}
