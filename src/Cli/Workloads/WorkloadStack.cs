using System.Buffers.Binary;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Commands;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;
using Hardware.Vfs;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Workloads;

/// <summary>
/// The machine a workload runs on, booted: the drive (a preset or JSON device over a sparse in-memory store or a raw
/// image file) behind AHCI, the block layer with the chosen elevator and the observer's tracer, the VFS with devtmpfs,
/// and the filesystem the jobs' files live in mounted at <see cref="MountPoint"/> (ext2 made fresh unless the image
/// already holds one, or ramfs).
/// </summary>
public sealed class WorkloadStack : IDisposable
{
    public const string MountPoint = "/mnt";

    /// <summary>The page cache's share of guest memory (ramfs files live here too).</summary>
    public const long CacheBytes = 128L << 20;

    private const long MinimumCapacity = 16L << 20;
    private const int Ext2MagicOffset = 1024 + 56;
    private const ushort Ext2Magic = 0xEF53;

    private readonly IBackingStore _store;
    private readonly PagePool _pool;
    private readonly JobPhaseTracer? _tracer;

    private WorkloadStack(MachineSpec spec, EmulatedMachine machine, IBackingStore store, PagePool pool, DiskProbe probe,
        VirtualFileSystem vfs, JobPhaseTracer? tracer)
    {
        _tracer = tracer;
        Spec = spec;
        Machine = machine;
        _store = store;
        _pool = pool;
        Probe = probe;
        Vfs = vfs;
        Calls = new SystemCalls(vfs);
        Root = vfs.CreateProcess(1, Credentials.Root);
    }

    public MachineSpec Spec { get; }

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public DiskProbe Probe { get; }

    public BlockDevice Disk => Probe.Disks[0];

    public VirtualFileSystem Vfs { get; }

    public SystemCalls Calls { get; }

    /// <summary>The process that mounts and lays files out.</summary>
    public Process Root { get; }

    /// <summary>Checks the device, scheduler and image, builds the machine and boots it. Failures are <see cref="CliException"/>s.</summary>
    public static WorkloadStack Boot(MachineSpec spec, IWorkloadObserver? observer)
    {
        if (spec.SyscallCostNs <= 0 || spec.CopyCostNsPerByte < 0)
            throw new CliException($"the system call cost must be positive and the copy cost not negative (got {spec.SyscallCostNs} ns, {spec.CopyCostNsPerByte} ns/byte)");
        if (!DeviceProfileJson.TryResolve(spec.Device, out DeviceProfile? profile, out string deviceError))
            throw new CliException(deviceError);
        if (!ElevatorRegistry.TryCreate(spec.Scheduler, out _, out string schedulerError))
            throw new CliException(schedulerError);
        if (MachineSpec.NrRequestsError(spec.NrRequests) is { } nrRequestsError)
            throw new CliException(nrRequestsError);
        IBackingStore store = OpenStore(spec, out bool holdsExt2);
        EmulatedMachine? machine = null;
        PagePool? pool = null;
        try
        {
            long capacity = store.Length / profile!.LogicalSectorSize * profile.LogicalSectorSize;
            DeviceProfile sized = profile with { CapacityBytes = capacity };
            if (!MediaModels.TryCreate(sized, out _, out string mediaError))
                throw new CliException($"device '{profile.Name}' cannot model a {capacity}-byte drive: {mediaError}");
            machine = new EmulatedMachine(new MachineOptions { Seed = spec.Seed, Drives = [new DriveSpec(sized, store)] });
            pool = new PagePool(machine.Memory, machine.Frames, CacheBytes);
            Simulation simulation = machine.Simulation;
            var cache = new PageCache(simulation, pool);
            JobPhaseTracer? tracer = observer?.Tracer is { } inner ? new JobPhaseTracer(inner) : null;
            var options = new DiskProbeOptions
            {
                Scheduler = spec.Scheduler,
                Queue = QueueOptions.Default with { NrRequests = spec.NrRequests },
                Tracer = tracer is null ? null : _ => tracer,
            };
            DiskProbe probe = simulation.RunUntilComplete(simulation.Spawn(() => DiskProbe.ProbeAsync(machine.Platform, options)));
            if (probe.Disks.Count == 0)
                throw new CliException($"device '{profile.Name}': the emulated drive did not answer IDENTIFY", 1);
            VirtualFileSystem vfs = VfsBoot.Boot(simulation, cache);
            foreach (BlockDevice device in probe.Devices)
                vfs.RegisterBlockDevice(device);
            var stack = new WorkloadStack(spec, machine, store, pool, probe, vfs, tracer);
            stack.Run(() => stack.MountAsync(holdsExt2));
            return stack;
        }
        catch
        {
            pool?.Dispose();
            machine?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Starts or stops passing block-layer events to the observer's tracer (on only while jobs run).</summary>
    public bool Tracing
    {
        set
        {
            if (_tracer is not null)
                _tracer.Enabled = value;
        }
    }

    /// <summary>The path inside the VFS of a job's path: /dev/... as is, anything else under the mounted filesystem.</summary>
    public static string GuestPath(string path) =>
        IsDevicePath(path) ? path : $"{MountPoint}/{path.TrimStart('/')}";

    public static bool IsDevicePath(string path) => path.StartsWith("/dev/", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="work"/> as a simulated process to its end; a <see cref="CliException"/> inside it comes out as itself.</summary>
    public void Run(Func<Task> work)
    {
        try
        {
            Simulation.RunUntilComplete(Simulation.Spawn(work));
        }
        catch (SimulationProcessException e) when (e.InnerException is CliException cli)
        {
            throw cli;
        }
    }

    /// <summary>Drops the mounted filesystem's cached pages by unmounting and mounting it again (fio's invalidate=1).</summary>
    public async Task InvalidateAsync()
    {
        if (Spec.FileSystem != FileSystemKind.Ext2)
            return;
        Check(await Calls.UmountAsync(Root, MountPoint), "unmounting ext2 to drop its cache");
        Check(await Calls.MountAsync(Root, $"/dev/{Disk.Name}", MountPoint, "ext2"), "mounting ext2 again");
    }

    /// <summary>
    /// Unmounts the filesystem and /dev (writing every dirty page back, so an image holds a consistent filesystem),
    /// flushes an image file and powers off. A failure while tearing down after another failure is not reported.
    /// </summary>
    public void Dispose()
    {
        try
        {
            Run(async () =>
            {
                if (Spec.FileSystem != FileSystemKind.None)
                    Check(await Calls.UmountAsync(Root, MountPoint), "unmounting the filesystem");
                Check(await Calls.UmountAsync(Root, "/dev"), "unmounting /dev");
                await Vfs.ExitAsync(Root);
            });
            _store.Flush();
        }
        finally
        {
            Abandon();
        }
    }

    /// <summary>Powers off without writing back, after a failure that is already being reported.</summary>
    public void Abandon()
    {
        Machine.Dispose();
        // After a failed run pages may still be held by open files; the machine's memory goes with it anyway.
        if (_pool.RentedPages == 0)
            _pool.Dispose();
        _store.Dispose();
    }

    private async Task MountAsync(bool holdsExt2)
    {
        Check(await Calls.MkdirAsync(Root, MountPoint, 0x1ED), $"making {MountPoint}");
        switch (Spec.FileSystem)
        {
            case FileSystemKind.RamFs:
                Check(await Calls.MountAsync(Root, "ramfs", MountPoint, "ramfs"), "mounting ramfs");
                break;
            case FileSystemKind.Ext2:
                if (!holdsExt2)
                {
                    VfsResult<Ext2Layout> made = await Ext2Mkfs.FormatAsync(Disk, new Ext2MkfsOptions { Seed = Spec.Seed }, Vfs.Cache, Root.Id);
                    if (!made.Ok)
                        throw new CliException($"--fs ext2: {made.Message}");
                }
                Check(await Calls.MountAsync(Root, $"/dev/{Disk.Name}", MountPoint, "ext2"), "mounting ext2");
                break;
        }
    }

    private static void Check(VfsResult result, string what)
    {
        if (!result.Ok)
            throw new CliException($"{what} failed: {result}", 1);
    }

    private static IBackingStore OpenStore(MachineSpec spec, out bool holdsExt2)
    {
        holdsExt2 = false;
        if (spec.ImagePath is not { } path)
        {
            if (spec.CapacityBytes < MinimumCapacity)
                throw new CliException($"a disk of {spec.CapacityBytes} bytes is too small (at least {MinimumCapacity >> 20} MiB)");
            return new SparseMemoryStore(spec.CapacityBytes);
        }
        if (Directory.Exists(path))
            throw new CliException($"--image {path}: Is a directory, not an image file");
        if (!System.IO.File.Exists(path))
            throw new CliException($"--image {path}: No such file (make one with 'hwstack mkfs' or truncate -s)");
        if (!RawImageStore.TryOpen(path, readOnly: false, out RawImageStore? store, out string error))
            throw new CliException($"--image {path}: {error}");
        if (store!.Length < MinimumCapacity)
        {
            store.Dispose();
            throw new CliException($"--image {path}: {store.Length} bytes is too small for a drive (at least {MinimumCapacity >> 20} MiB)");
        }
        Span<byte> magic = stackalloc byte[2];
        store.Read(Ext2MagicOffset, magic);
        holdsExt2 = BinaryPrimitives.ReadUInt16LittleEndian(magic) == Ext2Magic;
        return store;
    }
}
