using Hardware.BlockLayer;
using Hardware.Vfs.Cache;
using Hardware.Vfs.RamFs;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.RamFs;

public sealed class RamFsTests
{
    [Fact]
    public void Ramfs_pages_survive_periodic_writeback_and_reclaim_under_memory_pressure()
    {
        using var rig = new VfsRig(cacheBytes: 256 * 1024);
        byte[] data = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 13 + 5)).ToArray();
        rig.WriteFile(rig.Root, "/keep", data);
        rig.Run(async () => await rig.Simulation.Delay(60_000_000_000));
        Assert.Equal(0, rig.Cache.DirtyPages);
        AddressSpace evictable = rig.Cache.CreateAddressSpace("pressure", RamAddressSpaceOperations.Instance, 200 * CachePage.Size);
        var page = new byte[CachePage.Size];
        rig.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
                Assert.True((await rig.Cache.ReadAsync(evictable, (long)i * CachePage.Size, page)).Ok);
        });
        Assert.True(rig.Cache.Statistics.Evictions >= 100, $"{rig.Cache.Statistics.Evictions} evictions");
        Assert.Equal(data, rig.ReadFile(rig.Root, "/keep"));
        rig.Run(() => rig.Cache.ReleaseAsync(evictable).AsTask());
    }

    [Fact]
    public void Removing_the_last_name_of_a_closed_file_gives_its_pages_and_its_space_back()
    {
        using var rig = new VfsRig();
        Ok(rig.Sys.Mkdir(rig.Root, "/m"));
        Ok(rig.Sys.Mount(rig.Root, "none", "/m", "ramfs", MountFlags.None, "size=64k"));
        int rented = rig.Pool.RentedPages;
        rig.WriteFile(rig.Root, "/m/a", new byte[64 * 1024]);
        Assert.Equal(rented + 16, rig.Pool.RentedPages);
        int fd = rig.Open(rig.Root, "/m/b", OpenFlags.WriteOnly | OpenFlags.Create);
        Fails(Errno.ENOSPC, rig.Sys.Write(rig.Root, fd, new byte[1]));
        Ok(rig.Sys.Close(rig.Root, fd));
        Ok(rig.Sys.Unlink(rig.Root, "/m/a"));
        Assert.Equal(rented, rig.Pool.RentedPages);
        rig.WriteFile(rig.Root, "/m/c", new byte[64 * 1024]);
        Ok(rig.Sys.Umount(rig.Root, "/m"));
        Assert.Equal(rented, rig.Pool.RentedPages);
    }

    [Fact]
    public void An_open_unlinked_file_keeps_its_pages_until_the_last_close()
    {
        using var rig = new VfsRig();
        int rented = rig.Pool.RentedPages;
        rig.WriteFile(rig.Root, "/f", new byte[8192]);
        int fd = rig.Open(rig.Root, "/f", OpenFlags.ReadOnly);
        int copy = Ok(rig.Calls.Dup(rig.Root, fd));
        Ok(rig.Sys.Unlink(rig.Root, "/f"));
        Assert.Equal(rented + 2, rig.Pool.RentedPages);
        Ok(rig.Sys.Close(rig.Root, fd));
        Assert.Equal(rented + 2, rig.Pool.RentedPages);
        Ok(rig.Sys.Close(rig.Root, copy));
        Assert.Equal(rented, rig.Pool.RentedPages);
    }

    [Fact]
    public void A_fresh_ramfs_mount_is_empty_and_umount_discards_its_contents()
    {
        using var rig = new VfsRig();
        Ok(rig.Sys.Mkdir(rig.Root, "/m"));
        Ok(rig.Sys.Mount(rig.Root, "none", "/m", "ramfs"));
        rig.WriteFile(rig.Root, "/m/f", Bytes("gone soon"));
        Ok(rig.Sys.Umount(rig.Root, "/m"));
        Ok(rig.Sys.Mount(rig.Root, "none", "/m", "ramfs"));
        int fd = rig.Open(rig.Root, "/m", OpenFlags.ReadOnly | OpenFlags.Directory);
        Assert.Equal([".", ".."], Ok(rig.Sys.GetDirectoryEntries(rig.Root, fd)).Select(e => e.Name));
        Ok(rig.Sys.Close(rig.Root, fd));
        Ok(rig.Sys.Umount(rig.Root, "/m"));
    }

    [Fact]
    public void Inodes_report_type_size_links_and_whole_page_blocks()
    {
        using var rig = new VfsRig();
        Ok(rig.Sys.Mkdir(rig.Root, "/d"));
        Ok(rig.Sys.Mkdir(rig.Root, "/d/sub"));
        Ok(rig.Sys.Symlink(rig.Root, "/d/sub", "/link"));
        rig.WriteFile(rig.Root, "/d/f", new byte[5000]);
        Assert.Equal(3, Ok(rig.Sys.Stat(rig.Root, "/d")).LinkCount);
        Assert.Equal("/d/sub".Length, Ok(rig.Sys.Lstat(rig.Root, "/link")).Size);
        Syscalls.FileStatus file = Ok(rig.Sys.Stat(rig.Root, "/d/f"));
        Assert.Equal((InodeType.Regular, 5000L, 16L, 4096), (file.Type, file.Size, file.Blocks, file.BlockSize));
        Assert.Equal(0x81A4, file.Mode);
        Assert.Equal(RamSuperInfo.Magic, Ok(rig.Sys.StatFs(rig.Root, "/")).Type);
    }

    [Fact]
    public void O_DIRECT_is_refused_with_EINVAL_because_ramfs_has_no_device_to_bypass_to()
    {
        using var rig = new VfsRig();
        rig.WriteFile(rig.Root, "/f", Bytes("x"));
        Fails(Errno.EINVAL, rig.Sys.Open(rig.Root, "/f", OpenFlags.ReadOnly | OpenFlags.Direct));
        Assert.Equal(0, rig.Root.Files.OpenCount);
    }

    [Fact]
    public void Filling_all_cache_memory_with_ramfs_data_ends_in_a_short_write_then_ENOMEM_not_a_hang()
    {
        using var rig = new VfsRig(cacheBytes: 64 * 1024);
        int fd = rig.Open(rig.Root, "/big", OpenFlags.WriteOnly | OpenFlags.Create);
        Assert.Equal(64 * 1024, Ok(rig.Sys.Write(rig.Root, fd, new byte[64 * 1024])));
        Fails(Errno.ENOMEM, rig.Sys.Write(rig.Root, fd, new byte[4096]));
        Ok(rig.Sys.Ftruncate(rig.Root, fd, 32 * 1024));
        Assert.Equal(4096, Ok(rig.Sys.Write(rig.Root, fd, new byte[4096])));
    }
}
