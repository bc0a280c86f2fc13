using BenchmarkDotNet.Attributes;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;
using Hardware.Vfs;
using Hardware.Vfs.Syscalls;

namespace Hardware.Bench;

/// <summary>
/// The whole stack on a raw `ram` disk: 4 KiB random reads or writes through the request queue, the elevator, the
/// AHCI driver, the emulated HBA with its DMA and the drive's media. One invocation completes <see cref="Batch"/> I/Os
/// keeping <see cref="IoDepth"/> of them in flight, so the figure is the wall-clock cost of one completed I/O.
/// </summary>
[MemoryDiagnoser]
public class RawDeviceBenchmarks
{
    private const int Batch = 1024;
    private const int BlockBytes = 4096;
    private const long DiskBytes = 1L << 30;

    /// <summary>The I/Os land in the first 64 MiB, so the sparse store stays small after the writes.</summary>
    private const long SpanBytes = 64L << 20;

    private SparseMemoryStore _store = null!;
    private EmulatedMachine _machine = null!;
    private BlockDevice _disk = null!;
    private Bio[] _bios = null!;
    private SimRandom _random = null!;
    private long _blocks;

    [ParamsSource(nameof(Schedulers))]
    public string Scheduler { get; set; } = "none";

    public static IEnumerable<string> Schedulers => QuickCheck.Schedulers("none", "mq-deadline", "bfq", "kyber", "sstf");

    [Params(1, 32)]
    public int IoDepth { get; set; }

    [Params(BioOp.Read, BioOp.Write)]
    public BioOp Op { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!DevicePresets.TryGet("ram", out DeviceProfile? ram))
            throw new InvalidOperationException("no ram preset");
        _store = new SparseMemoryStore(DiskBytes);
        _store.Write(0, new byte[BlockBytes]);
        _machine = new EmulatedMachine(new MachineOptions
        {
            Seed = 1,
            Drives = [new DriveSpec(ram! with { CapacityBytes = DiskBytes }, _store)],
        });
        Simulation simulation = _machine.Simulation;
        DiskProbe probe = simulation.RunUntilComplete(simulation.Spawn(() =>
            DiskProbe.ProbeAsync(_machine.Platform, new DiskProbeOptions { Scheduler = Scheduler })));
        _disk = probe.Disks[0];
        _blocks = SpanBytes / BlockBytes;
        _random = simulation.CreateRandom("bench");
        PageFrame frames = _machine.Platform.Frames.AllocateContiguous(IoDepth);
        _bios = new Bio[IoDepth];
        for (int i = 0; i < IoDepth; i++)
            _bios[i] = new Bio(simulation) { ProcessId = 100 + i };
        _frames = frames;
        // Fill the touched range once so reads find written media, and warm every pool on the path.
        RandomIo();
        RandomIo();
    }

    private PageFrame _frames;

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Dispose();
        _store.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void RandomIo() => _machine.Simulation.RunUntilComplete(IoLoop());

    private async Task IoLoop()
    {
        int depth = _bios.Length;
        for (int i = 0; i < depth; i++)
            Submit(_bios[i], i);
        for (int done = 0, next = depth; done < Batch; done++)
        {
            Bio bio = _bios[done % depth];
            Errno status = await bio.Completion.Task;
            if (status != Errno.None)
                throw new InvalidOperationException($"{bio} failed: {status}");
            if (next < Batch)
                Submit(bio, done % depth);
            next++;
        }
    }

    private void Submit(Bio bio, int slot)
    {
        bio.Reset(Op, _random.NextInt64(_blocks) * (BlockBytes / Bio.SectorSize), Op == BioOp.Read ? BioFlags.Sync : BioFlags.None, 100 + slot);
        bio.AddSegment(new BioSegment(_frames.Address + (ulong)(slot * BlockBytes), BlockBytes));
        if (_disk.Submit(bio) is { } error)
            throw new InvalidOperationException(error.ToString());
    }
}

/// <summary>
/// The same 4 KiB random reads of a `ram` disk from one level up, as `hwstack run` issues them: pread(2) with O_DIRECT
/// on /dev/sda through the system call, the block-device file, the page cache's direct path (bounce frames, the bio)
/// and the whole stack below, <see cref="IoDepth"/> calls in flight (the default scheduler, mq-deadline). The
/// difference from <see cref="RawDeviceBenchmarks"/> at the same depth is the cost of the VFS's O_DIRECT path.
/// </summary>
[MemoryDiagnoser]
public class DirectPreadBenchmarks
{
    private const int Batch = 1024;
    private const int BlockBytes = 4096;

    /// <summary>The reads land in the first 64 MiB of the disk.</summary>
    private const long SpanBytes = 64L << 20;

    private BenchMachine _machine = null!;
    private SimRandom _random = null!;
    private byte[][] _buffers = null!;
    private ValueTask<VfsResult<int>>[] _inFlight = null!;
    private int _fd;

    [Params(1, 32)]
    public int IoDepth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new BenchMachine();
        _fd = _machine.Open("/dev/sda", OpenFlags.ReadOnly | OpenFlags.Direct);
        _random = _machine.Simulation.CreateRandom("bench");
        _buffers = new byte[IoDepth][];
        for (int i = 0; i < IoDepth; i++)
            _buffers[i] = new byte[BlockBytes];
        _inFlight = new ValueTask<VfsResult<int>>[IoDepth];
        // Warm every pool on the path (bounce frames, direct requests, bios, requests, tags).
        Preads();
        Preads();
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Preads() => _machine.Simulation.RunUntilComplete(PreadLoop());

    private async Task PreadLoop()
    {
        int depth = _inFlight.Length;
        for (int i = 0; i < depth; i++)
            _inFlight[i] = Pread(i);
        for (int done = 0, next = depth; done < Batch; done++, next++)
        {
            int slot = done % depth;
            VfsResult<int> result = await _inFlight[slot];
            if (!result.Ok || result.Value != BlockBytes)
                throw new InvalidOperationException($"pread failed: {result}");
            if (next < Batch)
                _inFlight[slot] = Pread(slot);
        }
    }

    private ValueTask<VfsResult<int>> Pread(int slot) =>
        _machine.Calls.PreadAsync(_machine.Root, _fd, _buffers[slot], _random.NextInt64(SpanBytes / BlockBytes) * BlockBytes);
}
