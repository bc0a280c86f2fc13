using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Tests.Cache;

/// <summary>
/// A whole emulated machine (one drive of a preset over a sparse store) probed by the block layer, with a page cache
/// over the machine's guest frames in tracking mode. Dispose releases every address space and fails on leaked pages.
/// </summary>
internal sealed class CacheRig : IDisposable
{
    /// <summary>Big enough for the hdd-7200 zone layout; the sparse store only holds what is written.</summary>
    public const long DiskBytes = 8L << 30;

    public CacheRig(string preset = "ram", long cacheBytes = 4L << 20, PageCacheOptions? options = null, ulong seed = 7,
        bool trackRentals = true)
    {
        Assert.True(DevicePresets.TryGet(preset, out DeviceProfile? profile));
        Store = new SparseMemoryStore(DiskBytes);
        Machine = new EmulatedMachine(new MachineOptions
        {
            Seed = seed,
            Drives = [new DriveSpec(profile! with { CapacityBytes = DiskBytes }, Store)],
        });
        Trace = new MemoryTracer(1 << 18);
        Probe = Run(() => DiskProbe.ProbeAsync(Machine.Platform, new DiskProbeOptions { Tracer = _ => Trace }));
        Disk = Probe.Disks[0];
        Pool = new PagePool(Machine.Memory, Machine.Frames, cacheBytes, trackRentals);
        Cache = new PageCache(Machine.Simulation, Pool, options);
    }

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public SparseMemoryStore Store { get; }

    public MemoryTracer Trace { get; }

    public DiskProbe Probe { get; }

    public BlockDevice Disk { get; }

    public PagePool Pool { get; }

    public PageCache Cache { get; }

    /// <summary>A "file" laid out contiguously on the disk from <paramref name="startSector"/>.</summary>
    public AddressSpace CreateFile(string name, long size, long startSector = 8192) =>
        Cache.CreateAddressSpace(name, new BlockDeviceMapping(Simulation, Disk, startSector), size);

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>Deterministic content: byte at absolute offset.</summary>
    public static byte Pattern(long offset, int salt = 0) => (byte)((offset * 31 + (offset >> 12) * 7 + salt) & 0xFF);

    public void FillDisk(long offset, int length, int salt = 0)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = Pattern(offset + i, salt);
        Store.Write(offset, bytes);
    }

    public byte[] ReadDisk(long offset, int length)
    {
        var bytes = new byte[length];
        Store.Read(offset, bytes);
        return bytes;
    }

    /// <summary>Data read or write requests the driver was issued (blktrace D events).</summary>
    public List<BlockTraceEvent> Issued(BioOp op)
    {
        var list = new List<BlockTraceEvent>();
        foreach (BlockTraceEvent e in Trace.ToArray())
        {
            if (e.Action == BlockTraceAction.Issue && e.Op == op)
                list.Add(e);
        }
        return list;
    }

    /// <summary>The result of a call that must have completed synchronously (a cache hit).</summary>
    public static T Completed<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "expected a synchronous cache hit");
        return task.Result;
    }

    public void Dispose()
    {
        foreach (AddressSpace space in Cache.AddressSpaces.ToArray())
            Run(() => Cache.ReleaseAsync(space).AsTask());
        IReadOnlyList<PageRental> leaked = Pool.Outstanding;
        string report = string.Join("\n", leaked.Select(r => $"{r.Frame} rented by {r.Renter}\n{r.StackTrace}"));
        Machine.Dispose();
        Assert.True(leaked.Count == 0, $"{leaked.Count} pages leaked:\n{report}");
        Assert.Equal(0, Cache.OutstandingLeases);
        Pool.Dispose();
    }
}
