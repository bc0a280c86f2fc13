using Hardware.BlockLayer;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;

namespace Hardware.Vfs.Tests.Core;

/// <summary>
/// A booted VFS: rootfs at /, a root process and the blocking syscall facade, over either bare guest memory (no
/// disks) or a whole emulated machine whose probed disk is registered as /dev/sda, where partitions can be added for
/// filesystems that need a device. Dispose exits every process it made, unmounts, and fails the test on leaked pages.
/// </summary>
internal sealed class VfsRig : IDisposable
{
    /// <summary>Where the first partition <see cref="AddPartition"/> makes starts (1 MiB, as partitioning tools align).</summary>
    private const long FirstPartitionSector = 2048;

    private readonly List<Process> _processes = [];
    private readonly GuestMemory? _memory;

    public VfsRig(long cacheBytes = 4L << 20, VfsOptions? options = null, PageCacheOptions? cacheOptions = null)
    {
        _memory = new GuestMemory(64L << 20);
        Simulation = new Simulation(11);
        Pool = new PagePool(_memory, new PageFrameAllocator(_memory), cacheBytes, trackRentals: true);
        Cache = new PageCache(Simulation, Pool, cacheOptions);
        Vfs = VfsBoot.Boot(Simulation, Cache, options);
        Calls = new SystemCalls(Vfs);
        Sys = new BlockingSystemCalls(Calls, Simulation);
        Root = Spawn(1, Credentials.Root);
    }

    /// <summary>
    /// A VFS booted on <paramref name="machine"/> (its simulation, page pool and cache), with the machine's probed
    /// disks and partitions registered, so they appear under /dev. The rig owns the machine and disposes it.
    /// </summary>
    public VfsRig(CacheRig machine, VfsOptions? options = null)
    {
        Machine = machine;
        Simulation = machine.Simulation;
        Pool = machine.Pool;
        Cache = machine.Cache;
        Vfs = VfsBoot.Boot(Simulation, Cache, options);
        foreach (BlockDevice device in machine.Probe.Devices)
            Vfs.RegisterBlockDevice(device);
        Calls = new SystemCalls(Vfs);
        Sys = new BlockingSystemCalls(Calls, Simulation);
        Root = Spawn(1, Credentials.Root);
    }

    /// <summary>The emulated machine under the VFS; null for a rig without disks.</summary>
    public CacheRig? Machine { get; }

    /// <summary>Run by Dispose once everything is unmounted and written back, before the machine goes (to check the disk).</summary>
    public Action<CacheRig>? Unmounted { get; set; }

    /// <summary>The machine's disk (/dev/sda).</summary>
    public BlockDevice Disk => Machine?.Disk ?? throw new InvalidOperationException("this rig was made without a disk");

    /// <summary>
    /// Adds the disk's next partition, <paramref name="bytes"/> long (a whole number of 4 KiB), right after the last
    /// one, and registers it with the VFS so /dev/sdaN appears.
    /// </summary>
    public BlockDevice AddPartition(long bytes)
    {
        Assert.True(bytes > 0 && bytes % 4096 == 0, $"partition size {bytes} is not a positive multiple of 4 KiB");
        BlockDevice disk = Disk;
        IReadOnlyList<BlockDevice> partitions = disk.Partitions;
        long start = partitions.Count == 0 ? FirstPartitionSector : partitions.Max(p => p.StartSector + p.CapacitySectors);
        start = (start + FirstPartitionSector - 1) / FirstPartitionSector * FirstPartitionSector;
        int number = partitions.Count == 0 ? 1 : partitions.Max(p => p.PartitionNumber) + 1;
        BlockDevice partition = disk.AddPartition(number, start, bytes / Bio.SectorSize);
        Vfs.RegisterBlockDevice(partition);
        return partition;
    }

    public Simulation Simulation { get; }

    public PagePool Pool { get; }

    public PageCache Cache { get; }

    public VirtualFileSystem Vfs { get; }

    public SystemCalls Calls { get; }

    public BlockingSystemCalls Sys { get; }

    /// <summary>pid 1, uid 0.</summary>
    public Process Root { get; }

    public Process Spawn(int pid, Credentials credentials)
    {
        Process process = Vfs.CreateProcess(pid, credentials);
        _processes.Add(process);
        return process;
    }

    public Process User(int pid, int uid, int gid, params int[] groups) => Spawn(pid, Credentials.User(uid, gid, groups));

    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>A successful call's value; the failure's message otherwise.</summary>
    public static T Ok<T>(VfsResult<T> result)
    {
        Assert.True(result.Ok, result.ToString());
        return result.Value;
    }

    public static void Ok(VfsResult result) => Assert.True(result.Ok, result.ToString());

    public static void Fails(Errno expected, VfsResult result)
    {
        Assert.Equal(expected, result.Errno);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    public static void Fails<T>(Errno expected, VfsResult<T> result) => Fails(expected, result.Status);

    public int Open(Process process, string path, OpenFlags flags, int mode = 0x1B6) => Ok(Sys.Open(process, path, flags, mode));

    public void WriteFile(Process process, string path, byte[] data, int mode = 0x1A4)
    {
        int fd = Open(process, path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate, mode);
        Assert.Equal(data.Length, Ok(Sys.Write(process, fd, data)));
        Ok(Sys.Close(process, fd));
    }

    public byte[] ReadFile(Process process, string path)
    {
        int fd = Open(process, path, OpenFlags.ReadOnly);
        long size = Ok(Calls.Fstat(process, fd)).Size;
        var buffer = new byte[size + 1];
        int read = Ok(Sys.Read(process, fd, buffer));
        Ok(Sys.Close(process, fd));
        return buffer[..read];
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        foreach (Process process in _processes)
            Run(() => Vfs.ExitAsync(process).AsTask());
        foreach (VfsMount mount in Vfs.Mounts.Mounts.Reverse().ToArray())
        {
            if (mount.Parent is not null)
                Run(() => Vfs.Mounts.Mounts.Contains(mount) ? DetachAsync(mount) : Task.CompletedTask);
        }
        SuperBlock rootSuper = Vfs.Mounts.Root!.SuperBlock;
        Run(() => rootSuper.Type.KillSuperBlockAsync(rootSuper).AsTask());
        if (Machine is not null)
        {
            try
            {
                Unmounted?.Invoke(Machine);
            }
            finally
            {
                Machine.Dispose();
            }
            return;
        }
        IReadOnlyList<PageRental> leaked = Pool.Outstanding;
        Assert.True(leaked.Count == 0, $"{leaked.Count} pages leaked: " + string.Join("; ", leaked.Select(r => r.Renter)));
        Assert.Equal(0, Cache.OutstandingLeases);
        Pool.Dispose();
        _memory!.Dispose();
    }

    /// <summary>What umount(2) does once nothing holds the mount: write back data and metadata, then kill the superblock.</summary>
    private async Task DetachAsync(VfsMount mount)
    {
        SuperBlock superBlock = mount.SuperBlock;
        Vfs.Mounts.Detach(mount);
        if (superBlock.MountCount != 0)
            return;
        Errno synced = await Cache.SyncAllAsync(0);
        Errno metadata = await superBlock.Operations.SyncAsync(superBlock);
        Assert.True(synced == Errno.None && metadata == Errno.None, $"writing back {superBlock} failed: {synced}, {metadata}");
        Vfs.Dentries.Prune(superBlock.Root);
        await superBlock.Type.KillSuperBlockAsync(superBlock);
    }
}
