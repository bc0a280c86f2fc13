using Hardware.BlockLayer;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

public sealed class AnonymousFileTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void An_inode_on_a_kernel_mount_opens_as_a_file_without_a_name_in_the_namespace()
    {
        VfsMount internalMount = Ok(_rig.Run(async () => await _rig.Vfs.KernelMountAsync("ramfs")));
        Assert.DoesNotContain(internalMount, _rig.Vfs.Mounts.Mounts);
        var operations = new Hardware.Vfs.RamFs.RamInodeOperations(_rig.Vfs);
        Inode inode = operations.NewInode(internalMount.SuperBlock, InodeType.Regular, 0x180, Credentials.Root, null, 0);
        File file = Ok(_rig.Vfs.OpenAnonymous(_rig.Root, internalMount, inode, "anon:[1]", OpenFlags.ReadWrite));
        int fd = Ok(_rig.Root.Files.Install(file, closeOnExec: false));
        Assert.Equal(5, Ok(_rig.Sys.Pwrite(_rig.Root, fd, Bytes("hello"), 0)));
        var buffer = new byte[5];
        Assert.Equal(5, Ok(_rig.Sys.Pread(_rig.Root, fd, buffer, 0)));
        Assert.Equal(Bytes("hello"), buffer);
        Ok(_rig.Sys.Close(_rig.Root, fd));
        _rig.Run(() => internalMount.SuperBlock.Type.KillSuperBlockAsync(internalMount.SuperBlock).AsTask());
    }

    [Fact]
    public void Getcwd_names_the_working_directory_across_mounts_and_fails_once_it_is_removed()
    {
        Process root = _rig.Root;
        Assert.Equal("/", Ok(_rig.Calls.Getcwd(root)));
        Ok(_rig.Sys.Mkdir(root, "/a"));
        Ok(_rig.Sys.Mkdir(root, "/a/m"));
        Ok(_rig.Sys.Mount(root, "none", "/a/m", "ramfs"));
        Ok(_rig.Sys.Mkdir(root, "/a/m/deep"));
        Ok(_rig.Sys.Chdir(root, "/a/m/deep"));
        Assert.Equal("/a/m/deep", Ok(_rig.Calls.Getcwd(root)));
        Ok(_rig.Sys.Rmdir(root, "/a/m/deep"));
        Fails(Errno.ENOENT, _rig.Calls.Getcwd(root));
        Fails(Errno.ENOENT, _rig.Sys.Open(root, "new", OpenFlags.WriteOnly | OpenFlags.Create));
        Ok(_rig.Sys.Chdir(root, "/"));
        Ok(_rig.Sys.Umount(root, "/a/m"));
    }
}
