using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue.Fakes;

/// <summary>A disk "sda" (8:0) on a fake driver and the FIFO test elevator, with helpers to build bios.</summary>
public sealed class QueueHarness
{
    public const int PageSize = 4096;

    private ulong _nextAddress = 0x100_0000;

    public QueueHarness(QueueLimits? limits = null, QueueOptions? options = null, long capacitySectors = 1 << 21, ulong seed = 1)
    {
        Simulation = new Simulation(seed);
        // Like AHCI, the fake host has 32 tags whatever the device's own depth (nr_requests is sized from them).
        limits ??= new QueueLimits();
        if (limits.TagSetDepth == 0)
            limits = limits with { TagSetDepth = Math.Max(32, limits.QueueDepth) };
        Driver = new FakeBlockDriver(Simulation, limits, capacitySectors);
        Elevator = new FifoTestElevator();
        Queue = new RequestQueue(Simulation, Driver, Elevator, options);
        Tracer = new RecordingTracer();
        Queue.Tracer = Tracer;
        Disk = BlockDevice.CreateDisk("sda", 8, 0, Queue);
    }

    public Simulation Simulation { get; }
    public FakeBlockDriver Driver { get; }
    public FifoTestElevator Elevator { get; }
    public RequestQueue Queue { get; }
    public RecordingTracer Tracer { get; }
    public BlockDevice Disk { get; }

    /// <summary>A fresh, page-aligned guest address range not adjacent to any earlier one (so nothing coalesces by accident).</summary>
    public ulong Allocate(long bytes)
    {
        ulong address = _nextAddress;
        _nextAddress += (ulong)((bytes + PageSize - 1) / PageSize + 1) * PageSize;
        return address;
    }

    public Bio Read(long sector, int sectors, int processId = 1, BioFlags flags = BioFlags.None) =>
        Data(BioOp.Read, sector, sectors, processId, flags);

    public Bio Write(long sector, int sectors, int processId = 1, BioFlags flags = BioFlags.None) =>
        Data(BioOp.Write, sector, sectors, processId, flags);

    /// <summary>A bio with one segment per <paramref name="segmentBytes"/> piece, all physically contiguous or each on its own pages.</summary>
    public Bio Data(BioOp op, long sector, int sectors, int processId = 1, BioFlags flags = BioFlags.None,
        int segmentBytes = int.MaxValue, bool contiguous = true)
    {
        var bio = new Bio(Simulation);
        bio.Reset(op, sector, flags, processId);
        long bytes = (long)sectors * Bio.SectorSize;
        ulong address = contiguous ? Allocate(bytes) : 0;
        for (long done = 0; done < bytes;)
        {
            int length = (int)Math.Min(segmentBytes, bytes - done);
            bio.AddSegment(new BioSegment(contiguous ? address + (ulong)done : Allocate(length), length));
            done += length;
        }
        return bio;
    }

    public Bio Discard(long sector, int sectors, int processId = 1)
    {
        var bio = new Bio(Simulation);
        bio.Reset(BioOp.Discard, sector, BioFlags.None, processId);
        bio.SectorCount = sectors;
        return bio;
    }

    public Bio Flush(int processId = 1)
    {
        var bio = new Bio(Simulation);
        bio.Reset(BioOp.Flush, 0, BioFlags.None, processId);
        return bio;
    }

    /// <summary>Submits and insists the device accepted it.</summary>
    public Bio Submit(Bio bio, BlockDevice? device = null)
    {
        IoError? error = (device ?? Disk).Submit(bio);
        Assert.True(error is null, error?.ToString());
        return bio;
    }

    /// <summary>Runs a simulated process to its end.</summary>
    public void Run(Func<Task> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    public T Run<T>(Func<Task<T>> process) => Simulation.RunUntilComplete(Simulation.Spawn(process));

    /// <summary>Runs until every given bio has completed (the queue and driver keep scheduling events until then).</summary>
    public void RunUntilDone(params Bio[] bios)
    {
        while (!bios.All(b => b.Completion.IsCompleted))
        {
            if (!Simulation.Step())
                throw new InvalidOperationException("simulation ran dry with bios outstanding: " +
                    string.Join(", ", bios.Where(b => !b.Completion.IsCompleted)));
        }
    }
}
