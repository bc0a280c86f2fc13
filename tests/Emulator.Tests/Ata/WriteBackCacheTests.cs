using Hardware.Emulator.Ata;

namespace Hardware.Emulator.Tests.Ata;

public class WriteBackCacheTests
{
    private static void Put(WriteBackCache cache, long lba, byte[] data)
    {
        int sectors = data.Length / 512;
        int lines = WriteBackCache.LinesSpanned(lba, sectors);
        Assert.True(cache.TryReserve(lines));
        cache.Prepare(lba, sectors, lines);
        cache.CopyIn(lba * 512, data);
        cache.MarkDirty(lba, sectors);
    }

    [Fact]
    public void Dirty_sectors_overlay_reads_and_other_bytes_are_left_alone()
    {
        var cache = new WriteBackCache(64 * 1024, 512);
        byte[] data = Enumerable.Repeat((byte)0xAB, 1024).ToArray();
        Put(cache, 15, data); // sectors 15-16, across two lines
        Assert.Equal(2, cache.DirtySectors);
        Assert.Equal(2, cache.UsedLines);

        var view = new byte[4 * 512];
        cache.OverlayDirty(13 * 512 + 100, view);
        Assert.All(view.AsSpan(0, 924).ToArray(), b => Assert.Equal(0, b));
        Assert.All(view.AsSpan(924, 1024).ToArray(), b => Assert.Equal(0xAB, b));
        Assert.All(view.AsSpan(1948).ToArray(), b => Assert.Equal(0, b));
        Assert.True(cache.IsFullyDirty(15, 2));
        Assert.False(cache.IsFullyDirty(14, 2));
    }

    [Fact]
    public void Destaging_sweeps_up_from_where_the_last_run_ended_and_wraps_around()
    {
        var cache = new WriteBackCache(64 * 1024, 512);
        var staging = new byte[64 * 512];
        Put(cache, 800, new byte[512 * 4]);
        Put(cache, 80, new byte[512 * 16]);
        Put(cache, 400, new byte[512]);

        (long, int) Next(int max = 64, LbaExtent[]? blocked = null)
        {
            Assert.True(cache.TrySelectDestageRun(max, blocked ?? [], out long lba, out int count));
            cache.BeginDestage(lba, count, staging);
            return (lba, count);
        }

        Assert.Equal((80L, 10), Next(max: 10));
        // Dirtied behind the sweep: it waits for the next one.
        Put(cache, 8, new byte[512]);
        // A line blocked by a write in flight is passed over; once the sweep has moved on it waits for the next one.
        Assert.Equal((400L, 1), Next(blocked: [new LbaExtent(90, 8)]));
        Assert.Equal((800L, 4), Next());
        Assert.Equal((8L, 1), Next());
        Assert.Equal((90L, 6), Next());
        Assert.False(cache.TrySelectDestageRun(64, [], out _, out _));
    }

    [Fact]
    public void Many_rewrites_and_destages_never_lose_a_dirty_line_from_the_destage_order()
    {
        var cache = new WriteBackCache(8 * 4096, 512); // 8 lines, heaps of 16 entries
        var staging = new byte[64 * 512];
        var random = new Random(3);
        for (int step = 0; step < 2000; step++)
        {
            long lba = random.Next(0, 8) * 8 + random.Next(0, 8);
            if (cache.AvailableLines > 0)
                Put(cache, lba, new byte[512]);
            if (random.Next(3) == 0 && cache.TrySelectDestageRun(64, [], out long run, out int count))
            {
                cache.BeginDestage(run, count, staging);
                if (random.Next(2) == 0 && cache.AvailableLines > 0)
                    Put(cache, run, new byte[512]); // rewritten while its destage is in flight
                cache.CompleteDestage(run, count);
            }
        }
        while (cache.TrySelectDestageRun(64, [], out long run, out int count))
        {
            cache.BeginDestage(run, count, staging);
            cache.CompleteDestage(run, count);
        }
        Assert.Equal(0, cache.DirtySectors);
        Assert.Equal(0, cache.UsedLines);
    }

    [Fact]
    public void A_sector_rewritten_during_its_destage_stays_dirty_and_the_rest_is_freed()
    {
        var cache = new WriteBackCache(64 * 1024, 512);
        Put(cache, 0, new byte[512 * 8]);
        var staging = new byte[512 * 8];
        Assert.True(cache.TrySelectDestageRun(64, [], out long lba, out int count));
        cache.BeginDestage(lba, count, staging);
        Assert.False(cache.TrySelectDestageRun(64, [], out _, out _));

        Put(cache, 3, Enumerable.Repeat((byte)7, 512).ToArray());
        cache.CompleteDestage(lba, count);
        Assert.Equal(1, cache.DirtySectors);
        Assert.True(cache.IsDirty(3));
        Assert.True(cache.TrySelectDestageRun(64, [], out lba, out count));
        Assert.Equal((3L, 1), (lba, count));
    }

    [Fact]
    public void Reservations_keep_concurrent_writes_from_overcommitting_the_lines()
    {
        var cache = new WriteBackCache(8 * 4096, 512); // 8 lines
        Assert.True(cache.TryReserve(6));
        Assert.False(cache.TryReserve(3));
        cache.Release(6);
        Assert.True(cache.TryReserve(8));
        Assert.Equal(0, cache.AvailableLines);
    }

    [Fact]
    public void Discard_and_clear_drop_dirty_data_and_free_lines()
    {
        var cache = new WriteBackCache(64 * 1024, 512);
        Put(cache, 0, new byte[512 * 24]);
        Assert.Equal(4, cache.Discard(10, 4));
        Assert.Equal(20, cache.DirtySectors);
        Assert.Equal(20, cache.Discard(0, 1L << 40)); // a whole-device TRIM walks the lines, not the range
        Assert.Equal(0, cache.UsedLines);
        Put(cache, 100, new byte[512 * 3]);
        Assert.Equal(3, cache.Clear());
        Assert.Equal(0, cache.DirtySectors);
        Assert.Equal(cache.CapacityLines, cache.AvailableLines);
    }
}
