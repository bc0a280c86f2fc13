using Hardware.BlockLayer;
using Hardware.Vfs.DevFs;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>
/// A booted VFS (rootfs at /, devtmpfs at /dev) on a whole emulated machine whose probed disks are registered with
/// the VFS, and a root process. Dispose exits the process, unmounts /dev (dropping the block devices' caches),
/// kills rootfs and lets the machine rig check for leaked pages.
/// </summary>
internal sealed class DevFsRig : IDisposable
{
    public DevFsRig(string preset = "ram", ulong seed = 7, bool registerDisks = true, bool trackRentals = true)
    {
        Machine = new CacheRig(preset, seed: seed, trackRentals: trackRentals);
        Vfs = VfsBoot.Boot(Machine.Simulation, Machine.Cache);
        if (registerDisks)
        {
            foreach (BlockDevice device in Machine.Probe.Devices)
                Vfs.RegisterBlockDevice(device);
        }
        Calls = new SystemCalls(Vfs);
        Sys = new BlockingSystemCalls(Calls, Machine.Simulation);
        Root = Vfs.CreateProcess(1, Credentials.Root);
    }

    public CacheRig Machine { get; }

    public VirtualFileSystem Vfs { get; }

    public DevFileSystemType DevFs => DevFileSystemType.Find(Vfs)!;

    public SystemCalls Calls { get; }

    public BlockingSystemCalls Sys { get; }

    public Process Root { get; }

    public BlockDevice Disk => Machine.Disk;

    public int Open(string path, OpenFlags flags) => Ok(Sys.Open(Root, path, flags));

    public byte[] Pread(int fd, int length, long offset)
    {
        var buffer = new byte[length];
        Assert.Equal(length, Ok(Sys.Pread(Root, fd, buffer, offset)));
        return buffer;
    }

    public void Pwrite(int fd, byte[] data, long offset) => Assert.Equal(data.Length, Ok(Sys.Pwrite(Root, fd, data, offset)));

    public void Close(int fd) => Ok(Sys.Close(Root, fd));

    public static byte[] Pattern(int length, int salt)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = CacheRig.Pattern(i, salt);
        return bytes;
    }

    public void Dispose()
    {
        Ok(Sys.Umount(Root, "/dev"));
        Machine.Run(() => Vfs.ExitAsync(Root).AsTask());
        Assert.Empty(DevFs.BlockDevices.Devices);
        SuperBlock rootfs = Vfs.Mounts.Root!.SuperBlock;
        Machine.Run(() => rootfs.Type.KillSuperBlockAsync(rootfs).AsTask());
        Machine.Dispose();
    }
}
