using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.Cli.Commands;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;
using Hardware.Vfs;
using Hardware.Vfs.Cache;
using Hardware.Vfs.Syscalls;

namespace Hardware.Cli.Images;

/// <summary>
/// A host image file behind the whole stack: the file is the medium (<see cref="RawImageStore"/>) of an emulated
/// SATA drive on the AHCI controller, the AHCI driver and block layer probe it (partitions too), the VFS boots with
/// devtmpfs, and <see cref="MountAsync"/> mounts ext2 from /dev/sdaN at <see cref="MountPoint"/>. Every image
/// command goes through one session; <see cref="Close"/> unmounts cleanly and reports a failed writeback.
/// </summary>
public sealed class ImageSession : IDisposable
{
    /// <summary>Where the image's filesystem is mounted inside the emulated VFS.</summary>
    public const string MountPoint = "/mnt";

    /// <summary>The page cache's share of guest memory: enough for large sequential copies, far below the 256 MiB.</summary>
    public const long DefaultCacheBytes = 64L << 20;

    /// <summary>
    /// A cache for one pass over one file (`hwstack cat`): eight 1 MiB read-ahead windows hold its working set, and the
    /// 2,048 guest frames the drive reads the image into are reused while they are still in the host CPU's caches -
    /// with 64 MiB, every pread of the image copies into memory the host has long evicted, and the first pass touches
    /// 16,384 fresh frames (page faults). See docs/performance.md, Target 5.
    /// </summary>
    public const long StreamingCacheBytes = 8L << 20;

    private readonly RawImageStore _store;
    private readonly PagePool _pool;
    private bool _mounted;
    private bool _closed;

    private ImageSession(string imagePath, RawImageStore store, EmulatedMachine machine, DiskProbe probe, PagePool pool,
        PageCache cache, VirtualFileSystem vfs, BlockDevice device)
    {
        ImagePath = imagePath;
        _store = store;
        Machine = machine;
        Probe = probe;
        _pool = pool;
        Cache = cache;
        Vfs = vfs;
        Device = device;
        Calls = new SystemCalls(vfs);
        Sys = new BlockingSystemCalls(Calls, machine.Simulation);
        Process = vfs.CreateProcess(1, Credentials.Root);
    }

    public string ImagePath { get; }

    public bool Writable => !_store.ReadOnly;

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public DiskProbe Probe { get; }

    public PageCache Cache { get; }

    public VirtualFileSystem Vfs { get; }

    /// <summary>The block device holding the filesystem: the disk, or the partition <c>--partition</c> chose.</summary>
    public BlockDevice Device { get; }

    public SystemCalls Calls { get; }

    public BlockingSystemCalls Sys { get; }

    /// <summary>The root process every syscall runs as.</summary>
    public Process Process { get; }

    /// <summary>
    /// Opens <paramref name="imagePath"/> (read-only unless <paramref name="writable"/>) as the medium of a drive of
    /// <paramref name="deviceName"/> (a preset or a device JSON file), boots the stack and finds the block device
    /// (partition <paramref name="partition"/> when given). The drive's capacity is the file's length, or
    /// <paramref name="capacityBytes"/> when smaller. The page cache holds <paramref name="cacheBytes"/> (default
    /// <see cref="DefaultCacheBytes"/>). Failures are <see cref="CliException"/>s naming the image.
    /// </summary>
    public static ImageSession Open(string imagePath, bool writable, string deviceName = "ram", int? partition = null, ulong seed = 1,
        long? capacityBytes = null, long cacheBytes = DefaultCacheBytes)
    {
        if (!DeviceProfileJson.TryResolve(deviceName, out DeviceProfile? profile, out string deviceError))
            throw new CliException(deviceError);
        if (Directory.Exists(imagePath))
            throw new CliException($"{imagePath}: Is a directory, not an image file");
        if (!System.IO.File.Exists(imagePath))
            throw new CliException($"{imagePath}: No such file or directory (no image file there)");
        if (!RawImageStore.TryOpen(imagePath, readOnly: !writable, out RawImageStore? store, out string error))
            throw new CliException(error);
        try
        {
            return Boot(imagePath, store!, profile!, partition, seed, capacityBytes, cacheBytes);
        }
        catch
        {
            store!.Dispose();
            throw;
        }
    }

    private static ImageSession Boot(string imagePath, RawImageStore store, DeviceProfile profile, int? partition, ulong seed, long? capacityBytes,
        long cacheBytes)
    {
        // The drive is the whole file unless told to see only its first bytes (mkfs --size on a larger file).
        long length = Math.Min(store.Length, capacityBytes ?? long.MaxValue);
        long capacity = length / profile.LogicalSectorSize * profile.LogicalSectorSize;
        if (capacity < 1 << 20)
            throw new CliException($"{imagePath}: image of {store.Length} bytes is too small for a drive (at least 1 MiB)");
        DeviceProfile sized = profile with { CapacityBytes = capacity };
        if (!MediaModels.TryCreate(sized, out _, out string mediaError))
            throw new CliException($"{imagePath}: device '{profile.Name}' cannot model a {capacity}-byte drive: {mediaError}");

        var machine = new EmulatedMachine(new MachineOptions { Seed = seed, Drives = [new DriveSpec(sized, store)] });
        PagePool? pool = null;
        try
        {
            Simulation simulation = machine.Simulation;
            DiskProbe probe = simulation.RunUntilComplete(simulation.Spawn(() => DiskProbe.ProbeAsync(machine.Platform)));
            if (probe.Disks.Count == 0)
                throw new CliException($"{imagePath}: the emulated drive did not answer IDENTIFY", 1);
            BlockDevice disk = probe.Disks[0];
            BlockDevice? device = disk;
            if (partition is { } number)
            {
                device = probe.Find($"{disk.Name}{number}");
                if (device is null)
                {
                    string found = disk.Partitions.Count == 0 ? "it has no partition table"
                        : $"it has {string.Join(", ", disk.Partitions.Select(p => p.Name))}";
                    throw new CliException($"{imagePath}: no partition {number}: {found}");
                }
            }
            pool = new PagePool(machine.Memory, machine.Frames, cacheBytes);
            var cache = new PageCache(simulation, pool);
            var vfs = VfsBoot.Boot(simulation, cache, new VfsOptions { RealTimeAtStartNs = WallClock.StartNs() });
            foreach (BlockDevice each in probe.Devices)
                vfs.RegisterBlockDevice(each);
            var session = new ImageSession(imagePath, store, machine, probe, pool, cache, vfs, device);
            VfsResult made = session.Sys.Mkdir(session.Process, MountPoint, 0x1ED);
            if (!made.Ok)
                throw new InvalidOperationException($"image session: making {MountPoint} failed: {made}");
            return session;
        }
        catch
        {
            pool?.Dispose();
            machine.Dispose();
            throw;
        }
    }

    /// <summary>The path inside the emulated VFS of <paramref name="imagePath"/> (absolute or relative to the image's root).</summary>
    public static string Guest(string imagePath)
    {
        string trimmed = imagePath.TrimStart('/');
        return trimmed.Length == 0 ? MountPoint : $"{MountPoint}/{trimmed}";
    }

    /// <summary>Mounts the image's ext2 filesystem at <see cref="MountPoint"/>: read-only unless the session is writable.</summary>
    public void Mount()
    {
        string source = $"/dev/{Device.Name}";
        MountFlags flags = Writable ? MountFlags.None : MountFlags.ReadOnly;
        VfsResult mounted = Sys.Mount(Process, source, MountPoint, "ext2", flags);
        if (!mounted.Ok)
            throw ImageErrors.Mount(ImagePath, mounted);
        _mounted = true;
    }

    /// <summary>Runs <paramref name="work"/> as a simulated process until it completes.</summary>
    public T Run<T>(Func<Task<T>> work) => Simulation.RunUntilComplete(Simulation.Spawn(work));

    /// <summary>
    /// Unmounts (writing back every dirty page and the superblock) and flushes the image file. A failure here means
    /// the change did not reach the image: the caller reports it instead of success.
    /// </summary>
    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        VfsResult unmounted = VfsResult.Success;
        if (_mounted)
        {
            _mounted = false;
            unmounted = Sys.Umount(Process, MountPoint);
        }
        string? flushError = TearDown(flush: Writable);
        if (!unmounted.Ok)
            throw ImageErrors.Io(ImagePath, "unmounting", unmounted);
        if (flushError is not null)
            throw new CliException($"{ImagePath}: flushing the image file failed: {flushError}", ImageErrors.ExitIo);
    }

    /// <summary>Tears the stack down without reporting (after a failure that is already being reported).</summary>
    public void Dispose()
    {
        if (_closed)
            return;
        _closed = true;
        if (_mounted)
        {
            _mounted = false;
            Sys.Umount(Process, MountPoint);
        }
        TearDown(flush: Writable);
    }

    /// <summary>Exits the process, unmounts /dev, powers the machine off and closes the image (flushed first when asked).</summary>
    private string? TearDown(bool flush)
    {
        Simulation.RunUntilComplete(Simulation.Spawn(async () =>
        {
            await Calls.UmountAsync(Process, "/dev");
            await Vfs.ExitAsync(Process);
        }));
        Machine.Dispose();
        _pool.Dispose();
        string? error = null;
        try
        {
            if (flush)
                _store.Flush();
        }
        catch (IOException e)
        {
            error = e.Message;
        }
        finally
        {
            _store.Dispose();
        }
        return error;
    }
}
