using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>
/// What the scanner relies on from any <see cref="ISectorReader"/>: geometry in whole sectors, and reads that
/// return exactly the sectors asked for. A block-device adapter gets a subclass of its own.
/// </summary>
public abstract class SectorReaderConformance
{
    /// <summary>A reader over a disk whose bytes are <paramref name="image"/>.</summary>
    protected abstract ISectorReader Create(byte[] image, int sectorSize);

    private static byte[] NumberedSectors(int sectors, int sectorSize)
    {
        var image = new byte[sectors * sectorSize];
        for (int i = 0; i < image.Length; i++)
            image[i] = (byte)(i / sectorSize * 7 + i % 251);
        return image;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public void It_reports_its_sector_size_and_capacity_in_sectors(int sectorSize)
    {
        ISectorReader reader = Create(NumberedSectors(10, sectorSize), sectorSize);
        Assert.Equal(sectorSize, reader.SectorSize);
        Assert.Equal(10, reader.CapacitySectors);
    }

    [Theory]
    [InlineData(512, 0)]
    [InlineData(512, 5)]
    [InlineData(512, 9)]
    [InlineData(4096, 9)]
    public async Task A_one_sector_read_returns_exactly_that_sector(int sectorSize, long sector)
    {
        byte[] image = NumberedSectors(10, sectorSize);
        ISectorReader reader = Create(image, sectorSize);
        var destination = new byte[sectorSize];

        Assert.Equal(Errno.None, await reader.ReadAsync(sector, destination));
        Assert.Equal(image.AsSpan((int)sector * sectorSize, sectorSize).ToArray(), destination);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public async Task A_multi_sector_read_returns_consecutive_sectors_up_to_the_last(int sectorSize)
    {
        byte[] image = NumberedSectors(10, sectorSize);
        ISectorReader reader = Create(image, sectorSize);
        var destination = new byte[4 * sectorSize];

        Assert.Equal(Errno.None, await reader.ReadAsync(6, destination));
        Assert.Equal(image.AsSpan(6 * sectorSize).ToArray(), destination);
    }

    [Fact]
    public async Task A_read_into_part_of_a_larger_buffer_touches_only_that_part()
    {
        byte[] image = NumberedSectors(4, 512);
        ISectorReader reader = Create(image, 512);
        var buffer = Enumerable.Repeat((byte)0xEE, 3 * 512).ToArray();

        Assert.Equal(Errno.None, await reader.ReadAsync(2, buffer.AsMemory(512, 512)));
        Assert.All(buffer[..512], b => Assert.Equal(0xEE, b));
        Assert.Equal(image[1024..1536], buffer[512..1024]);
        Assert.All(buffer[1024..], b => Assert.Equal(0xEE, b));
    }
}

public sealed class MemorySectorReaderConformance : SectorReaderConformance
{
    protected override ISectorReader Create(byte[] image, int sectorSize) => new MemorySectorReader(image, sectorSize);
}

public sealed class FileSectorReaderConformance : SectorReaderConformance, IDisposable
{
    private readonly ScratchDirectory _scratch = new();
    private readonly List<FileSectorReader> _readers = [];

    protected override ISectorReader Create(byte[] image, int sectorSize)
    {
        string path = Path.Combine(_scratch.Path, $"disk{_readers.Count}.img");
        File.WriteAllBytes(path, image);
        var reader = new FileSectorReader(path, sectorSize);
        _readers.Add(reader);
        return reader;
    }

    public void Dispose()
    {
        foreach (FileSectorReader reader in _readers)
            reader.Dispose();
        _scratch.Dispose();
    }
}
