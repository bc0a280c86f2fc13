using Hardware.BlockLayer.Partitions;
using Microsoft.Win32.SafeHandles;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>
/// A disk backed by a raw image file, read with positional reads. The capacity is the whole sectors of the
/// file; a read outside it throws, because the scanner promises never to issue one.
/// </summary>
public sealed class FileSectorReader : ISectorReader, IDisposable
{
    private readonly SafeFileHandle _handle;

    public FileSectorReader(string path, int sectorSize)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        SectorSize = sectorSize;
        CapacitySectors = RandomAccess.GetLength(_handle) / sectorSize;
    }

    public int SectorSize { get; }
    public long CapacitySectors { get; }

    public ValueTask<Errno> ReadAsync(long sector, Memory<byte> destination)
    {
        long count = destination.Length / SectorSize;
        if (destination.Length % SectorSize != 0 || sector < 0 || count <= 0 || sector + count > CapacitySectors)
            throw new InvalidOperationException($"scanner read {destination.Length} bytes at sector {sector} of a {CapacitySectors}-sector disk");
        int read = RandomAccess.Read(_handle, destination.Span, sector * SectorSize);
        return ValueTask.FromResult(read == destination.Length ? Errno.None : Errno.EIO);
    }

    public void Dispose() => _handle.Dispose();
}
