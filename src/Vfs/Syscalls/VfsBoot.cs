using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;
using Hardware.Vfs.DevFs;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.RamFs;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Syscalls;

/// <summary>
/// Brings the VFS up as Linux does: register ramfs (and rootfs, its root-mount name), devtmpfs with its device
/// tables, and the internal pipefs and sockfs; mount rootfs at /, then devtmpfs at /dev.
/// </summary>
public static class VfsBoot
{
    public static async ValueTask<VirtualFileSystem> BootAsync(Simulation simulation, PageCache cache, VfsOptions? options = null,
        string rootOptions = "")
    {
        var vfs = new VirtualFileSystem(simulation, cache, options);
        Register(vfs, new RamFileSystemType("ramfs"));
        Register(vfs, new RamFileSystemType("rootfs"));
        DevFileSystemType.Install(vfs);
        Register(vfs, new RamFileSystemType(PipeFileOperations.FileSystemName));
        Register(vfs, new RamFileSystemType(SocketFileOperations.FileSystemName));
        Register(vfs, new Hardware.Vfs.Ext2.Ext2FileSystemType());
        vfs.SetSpecialFileOperations(InodeType.Fifo, new FifoFileOperations(simulation));
        VfsResult root = await vfs.MountRootAsync("rootfs", MountFlags.None, rootOptions);
        if (!root.Ok)
            throw new InvalidOperationException($"boot: mounting rootfs failed: {root}");
        await MountDevFsAsync(vfs);
        return vfs;
    }

    /// <summary>Boots from outside the simulation (tools, tests): runs the boot as a simulated process to completion.</summary>
    public static VirtualFileSystem Boot(Simulation simulation, PageCache cache, VfsOptions? options = null, string rootOptions = "") =>
        simulation.RunUntilComplete(simulation.Spawn(async () => await BootAsync(simulation, cache, options, rootOptions)));

    /// <summary>devtmpfs_mount: /dev made on rootfs and devtmpfs mounted on it, by a transient root process.</summary>
    private static async ValueTask MountDevFsAsync(VirtualFileSystem vfs)
    {
        var calls = new SystemCalls(vfs);
        Process init = vfs.CreateProcess(0, Credentials.Root);
        VfsResult made = await calls.MkdirAsync(init, "/dev", 0x1ED);
        VfsResult mounted = made.Ok ? await calls.MountAsync(init, DevFileSystemType.TypeName, "/dev", DevFileSystemType.TypeName) : made;
        await vfs.ExitAsync(init);
        if (!mounted.Ok)
            throw new InvalidOperationException($"boot: mounting devtmpfs at /dev failed: {mounted}");
    }

    private static void Register(VirtualFileSystem vfs, FileSystemType type)
    {
        VfsResult registered = vfs.FileSystems.Register(type);
        if (registered.Errno != Errno.None)
            throw new InvalidOperationException($"boot: {registered}");
    }
}
