using Hardware.BlockLayer.Disks;
using Hardware.BlockLayer.Tests.Partitions.TestKit;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;

namespace Hardware.BlockLayer.Tests.Integration;

/// <summary>
/// The whole stack on a partitioned raw image: sfdisk partitions a sparse 8 GiB image (large enough for the
/// hdd-7200 zone layout; only what is written takes host space), an emulated hdd-7200 serves it
/// through the AHCI HBA, and the block layer probes, queues and schedules requests to its partitions.
/// </summary>
internal sealed class StackRig : IDisposable
{
    public const long ImageBytes = 8L << 30;

    /// <summary>sda1: 1 MiB .. 129 MiB, sda2: 129 MiB .. 255 MiB.</summary>
    public const string PartitionScript = "label: dos\nstart=2048, size=262144, type=83\nstart=264192, size=258048, type=83\n";

    private readonly ScratchDirectory _scratch = new();
    private readonly RawImageStore _store;

    public StackRig(string scheduler, ulong seed = 1, FaultPlan? faults = null, bool trace = false)
    {
        ImagePath = _scratch.CreateImage("disk.img", ImageBytes);
        Sfdisk.Partition(ImagePath, PartitionScript);
        if (!RawImageStore.TryOpen(ImagePath, readOnly: false, out RawImageStore? store, out string error))
            throw new InvalidOperationException(error);
        _store = store!;
        Assert.True(DevicePresets.TryGet("hdd-7200", out DeviceProfile? hdd));
        Machine = new EmulatedMachine(new MachineOptions
        {
            Seed = seed,
            Drives = [new DriveSpec(hdd! with { CapacityBytes = ImageBytes }, _store, faults)],
        });
        Memory = new MemoryTracer(1 << 20);
        if (trace)
        {
            Assert.True(BlktraceWriter.TryCreate(TraceDirectory, "sda", out BlktraceWriter? writer, out IoError? traceError), traceError?.Message);
            Writer = writer;
        }
        Probe = Run(() => DiskProbe.ProbeAsync(Machine.Platform, new DiskProbeOptions
        {
            Scheduler = scheduler,
            Tracer = _ => Writer is null ? Memory : new FanOutTracer(Memory, Writer),
        }));
    }

    public EmulatedMachine Machine { get; }

    public Simulation Simulation => Machine.Simulation;

    public DiskProbe Probe { get; }

    public string ImagePath { get; }

    public string TraceDirectory => _scratch.Path;

    public MemoryTracer Memory { get; }

    public BlktraceWriter? Writer { get; }

    public BlockDevice Device(string name) => Probe.Find(name) ?? throw new InvalidOperationException($"no block device {name}");

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>Reads bytes of the image file itself: the oracle for what reached the medium.</summary>
    public byte[] ReadImage(long offset, int length)
    {
        _store.Flush();
        using var file = new FileStream(ImagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Writer?.Dispose();
        Machine.Dispose();
        _store.Dispose();
        _scratch.Dispose();
    }
}
