using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

/// <summary>Writeback finds its pages through the space's writeback set: dirty and under-writeback pages in index order.</summary>
public sealed class WritebackOrderTests
{
    private const long FileStart = 8192L * 512;

    private static void WritePage(CacheRig rig, AddressSpace file, long index) =>
        rig.Run(() => rig.Cache.WriteAsync(file, index * CachePage.Size, new byte[CachePage.Size]).AsTask());

    [Fact]
    public void Writeback_goes_lowest_index_first_in_runs_whatever_order_the_pages_were_dirtied_in()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 64 * CachePage.Size);
        foreach (long index in new long[] { 40, 3, 17, 5, 4, 39 })
            WritePage(rig, file, index);
        Assert.Equal(6, file.WritebackSet.Count);

        Assert.Equal(Errno.None, rig.Run(() => rig.Cache.FsyncAsync(file).AsTask()));
        var writes = rig.Issued(BioOp.Write).Select(w => ((w.Sector * 512 - FileStart) / CachePage.Size, w.Bytes / CachePage.Size)).ToArray();
        Assert.Equal([(3L, 3), (17L, 1), (39L, 2)], writes);
        Assert.Equal(0, file.WritebackSet.Count);
    }

    [Fact]
    public void The_writeback_set_holds_exactly_the_dirty_pages_and_those_under_writeback()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 64 * CachePage.Size);
        for (long index = 0; index < 32; index += 3)
            WritePage(rig, file, index);
        Assert.Equal(file.DirtyPages, file.WritebackSet.Count);
        for (int i = 1; i < file.WritebackSet.Count; i++)
            Assert.True(file.WritebackSet[i - 1].Index < file.WritebackSet[i].Index);

        // Truncation drops dirty pages past the new size: they leave the set with the cache.
        rig.Run(() => rig.Cache.TruncateAsync(file, 16 * CachePage.Size).AsTask());
        Assert.Equal(file.DirtyPages, file.WritebackSet.Count);
        Assert.Equal(6, file.WritebackSet.Count);
        Assert.Null(file.WritebackSet.FirstIn(16, long.MaxValue));
        Assert.Equal(15, file.WritebackSet.FirstIn(13, 20)!.Index);

        Assert.Equal(Errno.None, rig.Run(() => rig.Cache.FsyncAsync(file).AsTask()));
        Assert.Equal(0, file.WritebackSet.Count);
        Assert.All(Enumerable.Range(0, 16).Select(i => file.FindPage(i)).OfType<CachePage>(), page => Assert.False(page.InWritebackSet));
    }

    private static void WritePages(CacheRig rig, AddressSpace file, long first, long last) =>
        rig.Run(async () =>
        {
            for (long index = first; index <= last; index++)
                await rig.Cache.WriteAsync(file, index * CachePage.Size, new byte[CachePage.Size]);
        });

    private static bool Dirty(AddressSpace file, long index) => file.FindPage(index)!.Is(PageFlags.Dirty);

    [Fact]
    public void Background_writeback_starts_a_4_MiB_chunk_not_just_the_pages_over_the_threshold()
    {
        // 64 MiB cache: background writeback above 1,638 dirty pages, writers throttled above 3,276.
        using var rig = new CacheRig(cacheBytes: 64L << 20);
        AddressSpace file = rig.CreateFile("f", 8192L * CachePage.Size);
        WritePages(rig, file, 2000, 3700);
        rig.Simulation.RunUntil(rig.Simulation.Now);
        // One pass started 1,024 pages from the lowest, which left 677 dirty: under the threshold, so it stopped.
        Assert.Equal(1, rig.Cache.Statistics.BackgroundWritebacks);
        Assert.Equal(677, file.DirtyPages);
        Assert.False(Dirty(file, 3023));
        Assert.True(Dirty(file, 3024));
    }

    [Fact]
    public void The_next_background_chunk_goes_on_from_where_the_last_stopped_and_wraps_to_the_start()
    {
        using var rig = new CacheRig(cacheBytes: 64L << 20);
        AddressSpace file = rig.CreateFile("f", 8192L * CachePage.Size);
        WritePages(rig, file, 2000, 3700);
        rig.Simulation.RunUntil(rig.Simulation.Now);
        WritePages(rig, file, 0, 1000);
        rig.Simulation.RunUntil(rig.Simulation.Now);
        // 677 + 1,001 dirty: the second chunk takes 3,024-3,700 (after the first chunk), then wraps to 0-346.
        Assert.Equal(2, rig.Cache.Statistics.BackgroundWritebacks);
        Assert.False(Dirty(file, 3700));
        Assert.False(Dirty(file, 346));
        Assert.True(Dirty(file, 347));
        Assert.Equal(654, file.DirtyPages);
    }
}
