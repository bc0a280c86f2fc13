using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

public class PageCacheWriteTests
{
    private const long FileStart = 8192L * 512;
    private const long Second = 1_000_000_000;

    private static byte[] Bytes(int length, int salt)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = CacheRig.Pattern(i, salt);
        return data;
    }

    [Fact]
    public void Periodic_writeback_reaches_the_disk_when_the_data_is_30_seconds_old_and_not_before()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 0);
        long dirtied = rig.Simulation.Now;
        rig.Run(() => rig.Cache.WriteAsync(file, 0, Bytes(8192, 1)).AsTask());
        Assert.Equal(2, file.DirtyPages);
        rig.Simulation.RunUntil(dirtied + 29 * Second);
        Assert.Empty(rig.Issued(BioOp.Write));
        Assert.Equal(new byte[8192], rig.ReadDisk(FileStart, 8192));
        rig.Simulation.RunUntil(dirtied + 31 * Second);
        var writes = rig.Issued(BioOp.Write);
        Assert.Single(writes);
        Assert.Equal(dirtied + 30 * Second, writes[0].Time);
        Assert.Equal(8192, writes[0].Bytes);
        Assert.Equal(Bytes(8192, 1), rig.ReadDisk(FileStart, 8192));
        Assert.Equal(0, file.DirtyPages);
    }

    [Fact]
    public void Passing_the_background_ratio_starts_writeback_at_once()
    {
        // 1 MiB cache = 256 pages: background at 25 pages, throttling at 51.
        using var rig = new CacheRig(cacheBytes: 1 << 20);
        AddressSpace file = rig.CreateFile("f", 0);
        long start = rig.Simulation.Now;
        rig.Run(() => rig.Cache.WriteAsync(file, 0, Bytes(30 * 4096, 2)).AsTask());
        rig.Simulation.RunUntil(start + Second / 10);
        Assert.NotEmpty(rig.Issued(BioOp.Write));
        Assert.True(rig.Cache.Statistics.BackgroundWritebacks > 0);
        Assert.True(rig.Cache.DirtyPages <= rig.Cache.BackgroundThresholdPages);
    }

    [Fact]
    public void A_writer_past_the_dirty_ratio_is_throttled_until_writeback_catches_up()
    {
        using var rig = new CacheRig("hdd-7200", cacheBytes: 1 << 20);
        AddressSpace file = rig.CreateFile("f", 0);
        int peakDirty = 0;
        rig.Run(async () =>
        {
            byte[] chunk = Bytes(16 * 1024, 3);
            for (int i = 0; i < 40; i++)
            {
                await rig.Cache.WriteAsync(file, i * chunk.Length, chunk, 30);
                peakDirty = Math.Max(peakDirty, rig.Cache.DirtyPages + rig.Cache.WritebackPages);
            }
        });
        Assert.True(rig.Cache.Statistics.ThrottledWrites > 0);
        Assert.True(peakDirty <= rig.Cache.DirtyThresholdPages, $"dirty peaked at {peakDirty}");
        Assert.True(rig.Simulation.Now > 0);
    }

    [Fact]
    public void Fsync_survives_power_loss_and_unsynced_data_is_lost()
    {
        using var rig = new CacheRig("hdd-7200");
        AddressSpace synced = rig.CreateFile("synced", 0, startSector: 8192);
        AddressSpace unsynced = rig.CreateFile("unsynced", 0, startSector: 16384);
        Errno result = rig.Run(async () =>
        {
            await rig.Cache.WriteAsync(synced, 0, Bytes(12_000, 4));
            await rig.Cache.WriteAsync(unsynced, 0, Bytes(12_000, 5));
            return await rig.Cache.FsyncAsync(synced);
        });
        Assert.Equal(Errno.None, result);
        Assert.Contains(rig.Trace.ToArray(), e => e.Op == BioOp.Flush || (e.Flags & BioFlags.Preflush) != 0);
        rig.Machine.Drives[0].PowerLoss();
        Assert.Equal(Bytes(12_000, 4), rig.ReadDisk(FileStart, 12_000));
        Assert.Equal(new byte[12_000], rig.ReadDisk(16384L * 512, 12_000));
        Assert.Equal(3, unsynced.DirtyPages);
        rig.Run(() => rig.Cache.TruncateAsync(unsynced, 0).AsTask());
    }

    [Fact]
    public void A_partial_write_reads_the_page_first_and_a_whole_page_write_does_not()
    {
        using var rig = new CacheRig();
        rig.FillDisk(FileStart, 3 * 4096);
        AddressSpace file = rig.CreateFile("f", 3 * 4096);
        rig.Run(() => rig.Cache.WriteAsync(file, 4096, Bytes(4096, 6)).AsTask());
        Assert.DoesNotContain(rig.Issued(BioOp.Read), e => e.Sector >= 8192);
        rig.Run(() => rig.Cache.WriteAsync(file, 100, new byte[] { 0xAB }).AsTask());
        Assert.Single(rig.Issued(BioOp.Read), e => e.Sector >= 8192);
        var back = new byte[3 * 4096];
        rig.Run(() => rig.Cache.ReadAsync(file, 0, back).AsTask());
        Assert.Equal(CacheRig.Pattern(FileStart + 99), back[99]);
        Assert.Equal(0xAB, back[100]);
        Assert.Equal(Bytes(4096, 6), back[4096..8192]);
        Assert.Equal(Errno.None, rig.Run(() => rig.Cache.FsyncAsync(file).AsTask()));
        Assert.Equal(back, rig.ReadDisk(FileStart, 3 * 4096));
    }

    [Fact]
    public void Two_users_of_one_address_space_see_each_others_writes_and_truncation_zeroes_the_tail()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 0);
        ReadAheadState reader = rig.Cache.CreateReadAheadState();
        rig.Run(() => rig.Cache.WriteAsync(file, 0, Bytes(10_000, 7), 40).AsTask());
        var seen = new byte[10_000];
        rig.Run(() => rig.Cache.ReadAsync(file, 0, seen, reader, 41).AsTask());
        Assert.Equal(Bytes(10_000, 7), seen);
        rig.Run(() => rig.Cache.WriteAsync(file, 5000, new byte[] { 1, 2, 3 }, 40).AsTask());
        CacheResult again = CacheRig.Completed(rig.Cache.ReadAsync(file, 5000, seen.AsMemory(0, 3), reader, 41));
        Assert.Equal(3, again.Bytes);
        Assert.Equal(new byte[] { 1, 2, 3 }, seen[..3]);
        rig.Run(() => rig.Cache.TruncateAsync(file, 4200).AsTask());
        Assert.Null(file.FindPage(2));
        rig.Run(() => rig.Cache.WriteAsync(file, 6000, new byte[] { 9 }).AsTask());
        var grown = new byte[6001];
        rig.Run(() => rig.Cache.ReadAsync(file, 0, grown).AsTask());
        Assert.Equal(Bytes(4200, 7), grown[..4200]);
        Assert.All(grown[4200..6000], b => Assert.Equal(0, b));
        Assert.Equal(9, grown[6000]);
        rig.Run(() => rig.Cache.FsyncAsync(file).AsTask());
    }
}
