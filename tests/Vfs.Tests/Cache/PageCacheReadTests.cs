using Hardware.BlockLayer;
using Hardware.Testing;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

public class PageCacheReadTests
{
    private const long FileStart = 8192L * 512;

    [Fact]
    public void A_cold_read_returns_the_disk_bytes_and_a_second_read_is_served_from_the_cache()
    {
        using var rig = new CacheRig();
        rig.FillDisk(FileStart, 20_000);
        AddressSpace file = rig.CreateFile("f", 20_000);
        var buffer = new byte[10_000];
        CacheResult first = rig.Run(() => rig.Cache.ReadAsync(file, 5_000, buffer).AsTask());
        Assert.Equal(new CacheResult(10_000), first);
        for (int i = 0; i < buffer.Length; i++)
            Assert.Equal(CacheRig.Pattern(FileStart + 5_000 + i), buffer[i]);
        int reads = rig.Issued(BioOp.Read).Count;
        ValueTask<CacheResult> again = rig.Cache.ReadAsync(file, 5_000, buffer);
        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(reads, rig.Issued(BioOp.Read).Count);
        CacheResult tail = rig.Run(() => rig.Cache.ReadAsync(file, 19_000, buffer).AsTask());
        Assert.Equal(1_000, tail.Bytes);
    }

    [Fact]
    public void Cache_hits_allocate_nothing_for_read_borrow_and_buffer_cache()
    {
        using var rig = new CacheRig();
        rig.FillDisk(FileStart, 64 * 1024);
        AddressSpace file = rig.CreateFile("f", 64 * 1024);
        var buffers = new BufferCache(rig.Cache, rig.Disk, 1024);
        var buffer = new byte[8192];
        ReadAheadState ra = rig.Cache.CreateReadAheadState();
        rig.Run(() => rig.Cache.ReadAsync(file, 0, new byte[64 * 1024], ra).AsTask());
        rig.Run(async () => (await buffers.GetBlockAsync(5)).Dispose());
        Memory<byte> memory = buffer;
        void Hits(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                ValueTask<CacheResult> read = rig.Cache.ReadAsync(file, i * 100, memory, ra);
                Assert.True(read.IsCompletedSuccessfully);
                CacheRig.Completed(rig.Cache.BorrowAsync(file, i * 10)).Dispose();
                CacheRig.Completed(buffers.GetBlockAsync(5)).Dispose();
            }
        }

        // Warm up every path once, then measure.
        Hits(0, 100);
        int next = 0;
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            Hits(next, next + 25);
            next += 25;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Two_readers_of_a_page_under_IO_share_one_read()
    {
        using var rig = new CacheRig("hdd-7200");
        rig.FillDisk(FileStart, 4096);
        AddressSpace file = rig.CreateFile("f", 4096);
        var a = new byte[100];
        var b = new byte[100];
        CacheResult first = default, second = default;
        Task one = rig.Simulation.Spawn(async () => first = await rig.Cache.ReadAsync(file, 0, a, null, 10));
        Task two = rig.Simulation.Spawn(async () => second = await rig.Cache.ReadAsync(file, 200, b, null, 11));
        rig.Simulation.RunUntilComplete(Task.WhenAll(one, two));
        Assert.Equal(100, first.Bytes);
        Assert.Equal(100, second.Bytes);
        Assert.Equal(CacheRig.Pattern(FileStart + 200), b[0]);
        Assert.Single(rig.Issued(BioOp.Read), e => e.Sector >= 8192);
        Assert.Equal(1, rig.Cache.Statistics.PagesRead);
    }

    [Fact]
    public void A_borrowed_lease_sees_the_cached_bytes_without_copying_and_pins_the_page()
    {
        using var rig = new CacheRig();
        rig.FillDisk(FileStart, 8192);
        AddressSpace file = rig.CreateFile("f", 6000);
        PageLease lease = rig.Run(() => rig.Cache.BorrowAsync(file, 4100).AsTask());
        Assert.Equal(Errno.None, lease.Status);
        Assert.Equal(1900, lease.Length);
        Assert.Equal(CacheRig.Pattern(FileStart + 4100), lease.Span[0]);
        Assert.Equal(1, lease.Page.LeaseCount);
        rig.Run(() => rig.Cache.TruncateAsync(file, 0).AsTask());
        // Truncation dropped the page from the file, but the lease still pins it: not back in the pool.
        Assert.Null(file.FindPage(1));
        Assert.Single(rig.Pool.Outstanding);
        Assert.Contains("f", rig.Pool.Outstanding[0].Renter);
        lease.Dispose();
        Assert.Empty(rig.Pool.Outstanding);
        PageLease end = rig.Run(() => rig.Cache.BorrowAsync(file, 0).AsTask());
        Assert.False(end.HasPage);
    }

    [Fact]
    public void Read_ahead_turns_a_sequential_read_into_fewer_and_larger_requests()
    {
        (int requests, long bytes) Measure(int readAheadBytes)
        {
            using var rig = new CacheRig("hdd-7200", 8L << 20, new PageCacheOptions { ReadAheadMaxBytes = readAheadBytes });
            const int fileBytes = 1 << 20;
            rig.FillDisk(FileStart, fileBytes);
            AddressSpace file = rig.CreateFile("f", fileBytes);
            ReadAheadState ra = rig.Cache.CreateReadAheadState();
            var chunk = new byte[4096];
            rig.Run(async () =>
            {
                for (long at = 0; at < fileBytes; at += chunk.Length)
                {
                    CacheResult r = await rig.Cache.ReadAsync(file, at, chunk, ra, 20);
                    Assert.Equal(chunk.Length, r.Bytes);
                    Assert.Equal(CacheRig.Pattern(FileStart + at + 77), chunk[77]);
                }
            });
            List<Hardware.BlockLayer.Tracing.BlockTraceEvent> reads = rig.Issued(BioOp.Read).Where(e => e.Sector >= 8192).ToList();
            Assert.Equal(fileBytes, reads.Sum(e => (long)e.Bytes));
            return (reads.Count, reads.Max(e => (long)e.Bytes));
        }

        (int withRequests, long withLargest) = Measure(128 * 1024);
        (int withoutRequests, long withoutLargest) = Measure(0);
        Assert.Equal(256, withoutRequests);
        Assert.Equal(4096, withoutLargest);
        Assert.True(withRequests <= 12, $"{withRequests} requests with read-ahead");
        Assert.Equal(128 * 1024, withLargest);
    }

    [Fact]
    public void A_read_larger_than_the_read_ahead_window_is_read_ahead_in_windows_of_its_size_up_to_the_devices_largest_io()
    {
        (int Requests, long Largest) Measure(int readBytes)
        {
            using var rig = new CacheRig("hdd-7200", 16L << 20, new PageCacheOptions { ReadAheadMaxBytes = 128 * 1024 });
            const int fileBytes = 8 << 20;
            rig.FillDisk(FileStart, fileBytes);
            AddressSpace file = rig.CreateFile("f", fileBytes);
            ReadAheadState ra = rig.Cache.CreateReadAheadState();
            var chunk = new byte[readBytes];
            rig.Run(async () =>
            {
                for (long at = 0; at < fileBytes; at += chunk.Length)
                {
                    CacheResult r = await rig.Cache.ReadAsync(file, at, chunk, ra, 20);
                    Assert.Equal(chunk.Length, r.Bytes);
                    Assert.Equal(CacheRig.Pattern(FileStart + at + chunk.Length - 1), chunk[^1]);
                }
            });
            List<Hardware.BlockLayer.Tracing.BlockTraceEvent> reads = rig.Issued(BioOp.Read).Where(e => e.Sector >= 8192).ToList();
            Assert.Equal(fileBytes, reads.Sum(e => (long)e.Bytes));
            return (reads.Count, reads.Max(e => (long)e.Bytes));
        }

        // hdd-7200's queue takes 1280 KiB (max_sectors_kb): 1 MiB reads are read ahead 1 MiB at a time (ractl_max_pages).
        using (var probe = new CacheRig("hdd-7200"))
            Assert.Equal(1280 * 1024, probe.Disk.Limits.MaxSectors * 512L);
        (int megabyteRequests, long megabyteLargest) = Measure(1 << 20);
        Assert.Equal(1 << 20, megabyteLargest);
        Assert.Equal(8, megabyteRequests);
        // Reads within the window keep read_ahead_kb's 128 KiB.
        (_, long pageLargest) = Measure(4096);
        Assert.Equal(128 * 1024, pageLargest);
    }
}
