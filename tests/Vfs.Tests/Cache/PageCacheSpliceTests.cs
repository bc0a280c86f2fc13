using Hardware.BlockLayer;
using Hardware.Testing;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

/// <summary>The splice read (sendfile's side in the cache): cached bytes handed to a sink without a copy.</summary>
public sealed class PageCacheSpliceTests
{
    private const long FileStart = 8192L * 512;

    private sealed class Collector : IPageSpanSink
    {
        public MemoryStream Bytes { get; } = new();

        public List<int> Spans { get; } = [];

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Bytes.Write(bytes);
            Spans.Add(bytes.Length);
        }
    }

    private sealed class Counter : IPageSpanSink
    {
        public long Total;

        public void Write(ReadOnlySpan<byte> bytes) => Total += bytes.Length;
    }

    [Fact]
    public void A_splice_hands_over_the_bytes_a_read_gives_and_stops_at_the_end_of_the_data()
    {
        using var rig = new CacheRig("hdd-7200");
        const int fileBytes = 300_000;
        rig.FillDisk(FileStart, 512 * 1024);
        AddressSpace file = rig.CreateFile("f", fileBytes);
        ReadAheadState ra = rig.Cache.CreateReadAheadState();
        var sink = new Collector();
        CacheResult first = rig.Run(() => rig.Cache.SpliceAsync(file, 1000, 100_000, sink, ra).AsTask());
        CacheResult rest = rig.Run(() => rig.Cache.SpliceAsync(file, 101_000, 1 << 20, sink, ra).AsTask());
        CacheResult end = rig.Run(() => rig.Cache.SpliceAsync(file, fileBytes, 4096, sink, ra).AsTask());
        Assert.Equal((100_000, Errno.None), (first.Bytes, first.Error));
        Assert.Equal((fileBytes - 101_000, Errno.None), (rest.Bytes, rest.Error));
        Assert.Equal(0, end.Bytes);
        Assert.Equal(rig.ReadDisk(FileStart + 1000, fileBytes - 1000), sink.Bytes.ToArray());
        Assert.True(rig.Cache.Statistics.ReadAheadPages > 0);
    }

    [Fact]
    public void Cached_pages_whose_frames_are_adjacent_are_handed_over_as_one_span()
    {
        using var rig = new CacheRig();
        const int fileBytes = 256 * 1024;
        rig.FillDisk(FileStart, fileBytes);
        AddressSpace file = rig.CreateFile("f", fileBytes);
        rig.Run(() => rig.Cache.ReadAsync(file, 0, new byte[fileBytes]).AsTask());
        int adjacent = 0;
        for (long index = 1; index < fileBytes / CachePage.Size; index++)
        {
            if (file.FindPage(index)!.Address == file.FindPage(index - 1)!.Address + CachePage.Size)
                adjacent++;
        }
        var sink = new Collector();
        CacheResult sent = CacheRig.Completed(rig.Cache.SpliceAsync(file, 100, fileBytes, sink));
        Assert.Equal(fileBytes - 100, sent.Bytes);
        Assert.True(adjacent > 0);
        Assert.Equal(fileBytes / CachePage.Size - adjacent, sink.Spans.Count);
        Assert.Equal(rig.ReadDisk(FileStart + 100, fileBytes - 100), sink.Bytes.ToArray());
    }

    [Fact]
    public void A_splice_of_cached_pages_completes_at_once_and_allocates_nothing()
    {
        using var rig = new CacheRig();
        rig.FillDisk(FileStart, 64 * 1024);
        AddressSpace file = rig.CreateFile("f", 64 * 1024);
        ReadAheadState ra = rig.Cache.CreateReadAheadState();
        rig.Run(() => rig.Cache.ReadAsync(file, 0, new byte[64 * 1024], ra).AsTask());
        var sink = new Counter();
        void Splices(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                ValueTask<CacheResult> sent = rig.Cache.SpliceAsync(file, i * 100, 8192, sink, ra);
                Assert.True(sent.IsCompletedSuccessfully);
            }
        }

        Splices(0, 100); // warm up
        int next = 0;
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            Splices(next, next + 25);
            next += 25;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(2 * 100 * 8192L, sink.Total);
    }

    [Fact]
    public void A_negative_position_or_count_is_refused_with_EINVAL()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 4096);
        var sink = new Collector();
        Assert.Equal(Errno.EINVAL, CacheRig.Completed(rig.Cache.SpliceAsync(file, -1, 10, sink)).Error);
        Assert.Equal(Errno.EINVAL, CacheRig.Completed(rig.Cache.SpliceAsync(file, 0, -1, sink)).Error);
        Assert.Empty(sink.Spans);
    }
}
