using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;
using Hardware.Vfs;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Bench;

/// <summary>
/// A booted machine for the VFS and cache benchmarks: one drive of a preset over a sparse store, probed by the block
/// layer, a page cache over the machine's guest frames, the VFS booted on it (rootfs at /, the disk as /dev/sda) and a
/// root process. <see cref="MountExt2"/> formats the disk and mounts it at /mnt.
/// </summary>
internal sealed class BenchMachine : IDisposable
{
    public const long DiskBytes = 8L << 30;

    public BenchMachine(string preset = "ram", long cacheBytes = 64L << 20, long memoryBytes = 256L << 20)
    {
        if (!DevicePresets.TryGet(preset, out DeviceProfile? profile))
            throw new InvalidOperationException($"no preset {preset}");
        Store = new SparseMemoryStore(DiskBytes);
        Machine = new EmulatedMachine(new MachineOptions
        {
            Seed = 7,
            MemoryBytes = memoryBytes,
            Drives = [new DriveSpec(profile! with { CapacityBytes = DiskBytes }, Store)],
        });
        DiskProbe probe = Run(() => DiskProbe.ProbeAsync(Machine.Platform, new DiskProbeOptions()));
        Disk = probe.Disks[0];
        Pool = new PagePool(Machine.Memory, Machine.Frames, cacheBytes);
        Cache = new PageCache(Simulation, Pool);
        Vfs = VfsBoot.Boot(Simulation, Cache);
        foreach (BlockDevice device in probe.Devices)
            Vfs.RegisterBlockDevice(device);
        Calls = new SystemCalls(Vfs);
        Sys = new BlockingSystemCalls(Calls, Simulation);
        Root = Vfs.CreateProcess(1, Credentials.Root);
    }

    public SparseMemoryStore Store { get; }

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public BlockDevice Disk { get; }

    public PagePool Pool { get; }

    public PageCache Cache { get; }

    public VirtualFileSystem Vfs { get; }

    public SystemCalls Calls { get; }

    public BlockingSystemCalls Sys { get; }

    public Process Root { get; }

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>mkfs.ext2 (4 KiB blocks) on the whole disk, mounted at /mnt.</summary>
    public void MountExt2()
    {
        VfsResult<Ext2Layout> made = Run(async () => await Ext2Mkfs.FormatAsync(Disk, new Ext2MkfsOptions { BlockSize = 4096, Seed = 1 }, Cache));
        Ok(made.Status);
        Ok(Sys.Mkdir(Root, "/mnt"));
        Ok(Sys.Mount(Root, "/dev/sda", "/mnt", "ext2"));
    }

    public int Open(string path, OpenFlags flags, int mode = 0x1A4) => Ok(Sys.Open(Root, path, flags, mode));

    public void WriteFile(string path, byte[] data)
    {
        int fd = Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
        if (Ok(Sys.Write(Root, fd, data)) != data.Length)
            throw new InvalidOperationException($"short write to {path}");
        Ok(Sys.Close(Root, fd));
    }

    public static T Ok<T>(VfsResult<T> result) => result.Ok ? result.Value : throw new InvalidOperationException(result.ToString());

    public static void Ok(VfsResult result)
    {
        if (!result.Ok)
            throw new InvalidOperationException(result.ToString());
    }

    /// <summary>
    /// A system call started on the benchmark's thread: its value straight away when it completed without waiting
    /// (warm caches), else the simulation runs until it does.
    /// </summary>
    public T Finish<T>(ValueTask<T> call) => call.IsCompletedSuccessfully ? call.Result : Simulation.RunUntilComplete(call.AsTask());

    /// <summary>The result of a call that must complete without waiting (a cache hit).</summary>
    public static T Completed<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("expected a synchronous completion");

    /// <summary>
    /// Drops the machine with the filesystems still mounted: the benchmark process ends next, so nothing is unmounted
    /// or written back, and the page pool (whose pages the cache still rents) goes with the guest memory.
    /// </summary>
    public void Dispose()
    {
        Machine.Dispose();
        Store.Dispose();
    }
}
