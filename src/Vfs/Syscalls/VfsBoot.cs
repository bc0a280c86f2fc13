using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.RamFs;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Syscalls;

/// <summary>Brings the VFS up as Linux does: register ramfs (and rootfs, its root-mount name), mount rootfs at /.</summary>
public static class VfsBoot
{
    public static async ValueTask<VirtualFileSystem> BootAsync(Simulation simulation, PageCache cache, VfsOptions? options = null,
        string rootOptions = "")
    {
        var vfs = new VirtualFileSystem(simulation, cache, options);
        Register(vfs, new RamFileSystemType("ramfs"));
        Register(vfs, new RamFileSystemType("rootfs"));
        Register(vfs, new RamFileSystemType(PipeFileOperations.FileSystemName));
        Register(vfs, new RamFileSystemType(SocketFileOperations.FileSystemName));
        vfs.SetSpecialFileOperations(InodeType.Fifo, new FifoFileOperations(simulation));
        VfsResult root = await vfs.MountRootAsync("rootfs", MountFlags.None, rootOptions);
        if (!root.Ok)
            throw new InvalidOperationException($"boot: mounting rootfs failed: {root}");
        return vfs;
    }

    /// <summary>Boots from outside the simulation (tools, tests): runs the boot as a simulated process to completion.</summary>
    public static VirtualFileSystem Boot(Simulation simulation, PageCache cache, VfsOptions? options = null, string rootOptions = "") =>
        simulation.RunUntilComplete(simulation.Spawn(async () => await BootAsync(simulation, cache, options, rootOptions)));

    private static void Register(VirtualFileSystem vfs, FileSystemType type)
    {
        VfsResult registered = vfs.FileSystems.Register(type);
        if (registered.Errno != Errno.None)
            throw new InvalidOperationException($"boot: {registered}");
    }
}
