using Hardware.BlockLayer;
using Hardware.Emulator.Platform;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

public class PageCacheEvictionTests
{
    private const long FileStart = 8192L * 512;

    [Fact]
    public void A_large_sequential_scan_does_not_evict_a_small_hot_working_set()
    {
        // 64 pages of cache; an 8-page hot file read twice, then a 2 MiB scan (512 pages) of another file.
        using var rig = new CacheRig(cacheBytes: 64 * 4096);
        rig.FillDisk(FileStart, 8 * 4096);
        rig.FillDisk(FileStart + (1 << 20), 2 << 20, salt: 1);
        AddressSpace hot = rig.CreateFile("hot", 8 * 4096);
        AddressSpace scan = rig.CreateFile("scan", 2 << 20, startSector: 8192 + 2048);
        var page = new byte[4096];
        rig.Run(async () =>
        {
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < 8; i++)
                    await rig.Cache.ReadAsync(hot, i * 4096L, page);
            }
            ReadAheadState ra = rig.Cache.CreateReadAheadState();
            for (long at = 0; at < 2 << 20; at += 4096)
            {
                CacheResult r = await rig.Cache.ReadAsync(scan, at, page, ra);
                Assert.Equal(4096, r.Bytes);
                Assert.Equal(CacheRig.Pattern(FileStart + (1 << 20) + at, 1), page[0]);
            }
        });
        for (int i = 0; i < 8; i++)
            Assert.True(hot.FindPage(i) is { } cached && cached.Is(PageFlags.Uptodate), $"hot page {i} was evicted");
        Assert.True(rig.Pool.PeakRentedPages <= 64);
        Assert.True(rig.Cache.Statistics.Evictions >= 512 - 64);
    }

    [Fact]
    public void A_leased_page_is_never_evicted_and_dirty_pages_are_written_back_before_reuse()
    {
        using var rig = new CacheRig(cacheBytes: 32 * 4096, options: new PageCacheOptions
        {
            Writeback = new WritebackOptions { DirtyBackgroundRatioPercent = 100, DirtyRatioPercent = 100 },
        });
        rig.FillDisk(FileStart, 4096, salt: 3);
        AddressSpace pinned = rig.CreateFile("pinned", 4096);
        AddressSpace big = rig.CreateFile("big", 0, startSector: 8192 + 4096);
        PageLease lease = rig.Run(() => rig.Cache.BorrowAsync(pinned, 0).AsTask());
        var data = new byte[100 * 4096];
        for (int i = 0; i < data.Length; i++)
            data[i] = CacheRig.Pattern(i, 9);
        CacheResult written = rig.Run(() => rig.Cache.WriteAsync(big, 0, data).AsTask());
        Assert.Equal(data.Length, written.Bytes);
        Assert.Same(lease.Page, pinned.FindPage(0));
        Assert.Equal(CacheRig.Pattern(FileStart, 3), lease.Span[0]);
        lease.Dispose();
        Assert.True(rig.Cache.Statistics.PagesWritten >= 100 - 32, "pages had to be written back to be reused");
        Assert.Equal(Errno.None, rig.Run(() => rig.Cache.FsyncAsync(big).AsTask()));
        Assert.Equal(data, rig.ReadDisk((8192 + 4096) * 512L, data.Length));
    }

    [Fact]
    public void Direct_IO_sees_dirty_cached_data_and_buffered_reads_see_direct_writes()
    {
        using var rig = new CacheRig();
        AddressSpace file = rig.CreateFile("f", 0);
        PageFrame frame = rig.Machine.Frames.Allocate();
        BioSegment[] segment = [new BioSegment(frame.Address, 4096)];
        var text = new byte[4096];
        text.AsSpan().Fill(0x5A);
        rig.Run(() => rig.Cache.WriteAsync(file, 0, text).AsTask());
        CacheResult direct = rig.Run(() => rig.Cache.DirectIOAsync(file, BioOp.Read, 0, segment).AsTask());
        Assert.Equal(4096, direct.Bytes);
        Assert.Equal(0x5A, rig.Machine.Memory.GetPage(frame)[4095]);
        Assert.Equal(0, file.DirtyPages);

        rig.Machine.Memory.GetPage(frame).Fill(0xC3);
        CacheResult write = rig.Run(() => rig.Cache.DirectIOAsync(file, BioOp.Write, 0, segment).AsTask());
        Assert.Equal(4096, write.Bytes);
        Assert.Null(file.FindPage(0));
        var back = new byte[4096];
        rig.Run(() => rig.Cache.ReadAsync(file, 0, back).AsTask());
        Assert.All(back, b => Assert.Equal(0xC3, b));
        Assert.Equal(Errno.EINVAL, rig.Run(() => rig.Cache.DirectIOAsync(file, BioOp.Read, 100, segment).AsTask()).Error);
        rig.Machine.Frames.Free(frame);
    }

    [Fact]
    public void The_buffer_cache_serves_metadata_blocks_in_place_and_sync_writes_them_with_a_flush()
    {
        using var rig = new CacheRig("hdd-7200");
        rig.FillDisk(0, 16 * 1024, salt: 4);
        var buffers = new BufferCache(rig.Cache, rig.Disk, 1024);
        rig.Run(async () =>
        {
            using (BufferLease block = await buffers.GetBlockAsync(3))
            {
                Assert.Equal(Errno.None, block.Status);
                Assert.Equal(1024, block.Data.Length);
                Assert.Equal(CacheRig.Pattern(3 * 1024, 4), block.Data[0]);
                block.Data[10] = 0xEE;
                block.MarkDirty();
            }
            using (BufferLease neighbour = await buffers.GetBlockAsync(2))
                Assert.Equal(CacheRig.Pattern(2 * 1024 + 1023, 4), neighbour.Data[1023]);
            Assert.Equal(Errno.EINVAL, (await buffers.GetBlockAsync(buffers.BlockCount)).Status);
            Assert.Equal(Errno.None, await buffers.SyncAsync());
        });
        Assert.Equal(0xEE, rig.ReadDisk(3 * 1024 + 10, 1)[0]);
        Assert.Contains(rig.Issued(BioOp.Write), e => (e.Flags & BioFlags.Meta) != 0);
        rig.Machine.Drives[0].PowerLoss();
        Assert.Equal(0xEE, rig.ReadDisk(3 * 1024 + 10, 1)[0]);
    }
}
