namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// What the partition scanner needs from a disk: its geometry and whole-sector reads. A block device adapts
/// itself to this; tests back it with image files and byte arrays.
/// </summary>
public interface ISectorReader
{
    /// <summary>Logical sector size in bytes; every LBA in a partition table counts these.</summary>
    int SectorSize { get; }

    long CapacitySectors { get; }

    /// <summary>
    /// Reads <c>destination.Length / SectorSize</c> sectors starting at <paramref name="sector"/>. The scanner
    /// only asks for whole sectors inside the capacity; a failure comes back as an errno, not an exception.
    /// </summary>
    ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination);
}
