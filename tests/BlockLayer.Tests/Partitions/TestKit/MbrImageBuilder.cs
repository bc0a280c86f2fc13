using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>Writes MBRs and EBRs into an in-memory disk, for tables no partitioning tool would write.</summary>
public sealed class MbrImageBuilder(long sectors, int sectorSize = 512)
{
    public byte[] Image { get; } = new byte[sectors * sectorSize];
    public int SectorSize { get; } = sectorSize;

    public static MbrPartitionEntry Entry(byte type, uint start, uint count, bool bootable = false) =>
        new(bootable ? MbrPartitionEntry.ActiveFlag : (byte)0, default, type, default, start, count);

    /// <summary>Writes a table with the 0x55AA signature at <paramref name="sector"/>; missing entries are empty.</summary>
    public MbrImageBuilder Table(long sector, params MbrPartitionEntry[] entries)
    {
        var all = new MbrPartitionEntry[MasterBootRecord.EntryCount];
        entries.CopyTo(all, 0);
        new MasterBootRecord(0, all).Write(Image.AsSpan(checked((int)(sector * SectorSize)), MasterBootRecord.Size));
        return this;
    }

    /// <summary>An EBR: a logical partition at <paramref name="dataOffset"/> sectors from this EBR, and a link (relative to the extended start) or none.</summary>
    public MbrImageBuilder Ebr(long sector, uint dataOffset, uint dataCount, uint? linkOffset = null, uint linkCount = 1)
    {
        var data = dataCount == 0 ? default : Entry(0x83, dataOffset, dataCount);
        var link = linkOffset is { } offset ? Entry(MbrPartitionType.Extended, offset, linkCount) : default;
        return Table(sector, data, link);
    }

    public MemorySectorReader Reader() => new(Image, SectorSize);
}
