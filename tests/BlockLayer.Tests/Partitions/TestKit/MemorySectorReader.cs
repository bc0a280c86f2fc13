using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>
/// A disk held in a byte array. Sectors listed as unreadable fail with EIO; every read is counted, and a read
/// outside the disk throws, because the scanner promises never to issue one.
/// </summary>
public sealed class MemorySectorReader(byte[] image, int sectorSize) : ISectorReader
{
    private readonly HashSet<long> _unreadable = [];

    public byte[] Image { get; } = image;
    public int SectorSize { get; } = sectorSize;
    public long CapacitySectors => Image.Length / SectorSize;
    public int ReadCount { get; private set; }

    public void MakeUnreadable(long sector) => _unreadable.Add(sector);

    public ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination)
    {
        ReadCount++;
        long count = destination.Length / SectorSize;
        if (destination.Length % SectorSize != 0 || sector < 0 || count <= 0 || sector + count > CapacitySectors)
            throw new InvalidOperationException($"scanner read {destination.Length} bytes at sector {sector} of a {CapacitySectors}-sector disk");
        for (long s = sector; s < sector + count; s++)
            if (_unreadable.Contains(s))
                return ValueTask.FromResult(Errno.EIO);
        Image.AsSpan(checked((int)(sector * SectorSize)), destination.Length).CopyTo(destination.Span);
        return ValueTask.FromResult(Errno.None);
    }
}
