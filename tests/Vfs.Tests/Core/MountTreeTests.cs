using Hardware.BlockLayer;
using Hardware.Vfs.RamFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class MountTreeTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private Process Root => _rig.Root;

    [Fact]
    public void Boot_registers_ramfs_and_rootfs_and_mounts_rootfs_at_the_root()
    {
        Assert.NotNull(_rig.Vfs.FileSystems.Find("ramfs"));
        Assert.NotNull(_rig.Vfs.FileSystems.Find("rootfs"));
        VfsMount root = _rig.Vfs.Mounts.Root!;
        Assert.Equal(["/", "/dev"], _rig.Vfs.Mounts.Mounts.Select(m => m.MountPath));
        Assert.Equal("rootfs", root.SuperBlock.Type.Name);
        Assert.Equal("/", root.MountPath);
        Assert.Single(_rig.Vfs.FileSystems.Find("rootfs")!.SuperBlocks);
    }

    [Fact]
    public void A_mount_hides_the_directory_below_and_umount_reveals_it_again()
    {
        Ok(_rig.Sys.Mkdir(Root, "/m"));
        _rig.WriteFile(Root, "/m/below", Bytes("below"));
        Ok(_rig.Sys.Mount(Root, "none", "/m", "ramfs"));
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/m/below"));
        _rig.WriteFile(Root, "/m/above", Bytes("above"));
        Assert.Equal("/m", _rig.Vfs.Mounts.Mounts[^1].MountPath);
        Ok(_rig.Sys.Umount(Root, "/m"));
        Assert.Equal(Bytes("below"), _rig.ReadFile(Root, "/m/below"));
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/m/above"));
        Assert.Empty(_rig.Vfs.FileSystems.Find("ramfs")!.SuperBlocks);
    }

    [Fact]
    public void Mounts_stack_on_one_mount_point_and_unmount_top_first()
    {
        Ok(_rig.Sys.Mkdir(Root, "/m"));
        Ok(_rig.Sys.Mount(Root, "first", "/m", "ramfs"));
        _rig.WriteFile(Root, "/m/f", Bytes("first"));
        Ok(_rig.Sys.Mount(Root, "second", "/m", "ramfs"));
        Fails(Errno.ENOENT, _rig.Sys.Stat(Root, "/m/f"));
        VfsMount top = _rig.Vfs.Mounts.Mounts[^1];
        Assert.Equal("second", top.DeviceName);
        Assert.Equal("first", top.Parent!.DeviceName);
        Ok(_rig.Sys.Umount(Root, "/m"));
        Assert.Equal(Bytes("first"), _rig.ReadFile(Root, "/m/f"));
        Ok(_rig.Sys.Umount(Root, "/m"));
        Fails(Errno.EINVAL, _rig.Sys.Umount(Root, "/m"));
    }

    [Fact]
    public void A_mount_with_mounts_below_it_a_working_directory_inside_or_the_root_is_busy()
    {
        Ok(_rig.Sys.Mkdir(Root, "/m"));
        Ok(_rig.Sys.Mount(Root, "none", "/m", "ramfs"));
        Ok(_rig.Sys.Mkdir(Root, "/m/n"));
        Ok(_rig.Sys.Mount(Root, "none", "/m/n", "ramfs"));
        Fails(Errno.EBUSY, _rig.Sys.Umount(Root, "/m"));
        Ok(_rig.Sys.Umount(Root, "/m/n"));
        Process user = _rig.User(100, 0, 0);
        Ok(_rig.Sys.Chdir(user, "/m"));
        Fails(Errno.EBUSY, _rig.Sys.Umount(Root, "/m"));
        Ok(_rig.Sys.Chdir(user, "/"));
        Ok(_rig.Sys.Umount(Root, "/m"));
        Fails(Errno.EBUSY, _rig.Sys.Umount(Root, "/"));
    }

    [Fact]
    public void Mount_and_umount_need_root_a_known_type_and_a_directory()
    {
        Ok(_rig.Sys.Mkdir(Root, "/m"));
        _rig.WriteFile(Root, "/f", Bytes("x"));
        Process user = _rig.User(100, 1000, 1000);
        Fails(Errno.EPERM, _rig.Sys.Mount(user, "none", "/m", "ramfs"));
        Fails(Errno.ENODEV, _rig.Sys.Mount(Root, "none", "/m", "nosuchfs"));
        Fails(Errno.ENOTDIR, _rig.Sys.Mount(Root, "none", "/f", "ramfs"));
        Fails(Errno.EINVAL, _rig.Sys.Mount(Root, "none", "/m", "ramfs", MountFlags.None, "size=lots"));
        Ok(_rig.Sys.Mount(Root, "none", "/m", "ramfs"));
        Fails(Errno.EPERM, _rig.Sys.Umount(user, "/m"));
        Fails(Errno.EINVAL, _rig.Sys.Umount(Root, "/f"));
    }

    [Fact]
    public void The_registry_refuses_duplicate_names_and_unregistering_a_type_in_use()
    {
        FileSystemRegistry registry = _rig.Vfs.FileSystems;
        Fails(Errno.EBUSY, registry.Register(new RamFileSystemType("ramfs")));
        Fails(Errno.EBUSY, registry.Unregister("rootfs"));
        Ok(registry.Register(new RamFileSystemType("scratchfs")));
        Assert.Equal("scratchfs", registry.Find("scratchfs")!.Name);
        Ok(registry.Unregister("scratchfs"));
        Assert.Null(registry.Find("scratchfs"));
        Fails(Errno.ENOENT, registry.Unregister("scratchfs"));
    }

    [Fact]
    public void A_superblock_lives_while_mounted_and_is_killed_with_its_last_mount()
    {
        FileSystemType ramfs = _rig.Vfs.FileSystems.Find("ramfs")!;
        Ok(_rig.Sys.Mkdir(Root, "/m"));
        Ok(_rig.Sys.Mount(Root, "none", "/m", "ramfs", MountFlags.None, "size=1m,mode=700"));
        SuperBlock superBlock = Assert.Single(ramfs.SuperBlocks);
        Assert.Equal(0x1C0, Ok(_rig.Sys.Stat(Root, "/m")).Permissions);
        Assert.Equal(256, Ok(_rig.Sys.StatFs(Root, "/m")).Blocks);
        _rig.WriteFile(Root, "/m/f", new byte[10_000]);
        Assert.Equal(256 - 3, Ok(_rig.Sys.StatFs(Root, "/m")).FreeBlocks);
        int before = _rig.Pool.RentedPages;
        Ok(_rig.Sys.Umount(Root, "/m"));
        Assert.Empty(ramfs.SuperBlocks);
        Assert.Equal(before - 3, _rig.Pool.RentedPages);
        Assert.Equal(0, superBlock.MountCount);
    }
}
