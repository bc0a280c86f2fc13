using System.Runtime.CompilerServices;
using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer;

/// <summary>
/// The request queue of one disk (Linux's blk-mq with a single hardware queue): bios become requests in per-process
/// plugs, merge with their neighbours, wait in the elevator, take a driver tag and go to the driver; completions
/// end every bio of a request, update the statistics and dispatch again. Flushes and FUA writes are sequenced as
/// blk-flush does, oversized bios are split, failed requests are requeued a bounded number of times and requests
/// that stay too long at the device go to the driver's timeout handler.
/// </summary>
/// <remarks>
/// Requests, their contexts, split children and plugs are pooled and the lists and indexes are intrusive or array
/// based, so the path from bio to completion allocates nothing in steady state. Bios keep the sector they were
/// submitted with (relative to their partition); requests carry whole-disk sectors.
/// </remarks>
public sealed partial class RequestQueue : IElevatorQueue, IBlockDriverHost
{
    // Elevators serving a queue, so one instance is never attached to two queues (which would corrupt both).
    private static readonly ConditionalWeakTable<IElevator, RequestQueue> s_elevatorOwners = new();

    private readonly Stack<RequestContext> _freeContexts = new();
    private readonly TagSet _tags;
    private readonly SectorIndex _byEnd = new();
    private readonly SectorIndex _byStart = new();

    /// <summary>Requests the elevator holds, in insertion order (what a scheduler switch hands over).</summary>
    private readonly RequestContextList _held = new();

    /// <summary>Requests that go before anything the elevator has: bounced by a busy driver, requeued, flush sequence steps (hctx->dispatch).</summary>
    private readonly RequestContextList _dispatchList = new();

    private readonly Dictionary<int, BlockPlug> _plugs = new();
    private readonly FlushSequencer _flush;
    private readonly SimTimer _timeoutTimer;
    private readonly SimTimer _busyTimer;
    private readonly SimTimer _elevatorTimer;
    private long _timeoutNs;

    public RequestQueue(Simulation simulation, IBlockDriver driver, IElevator elevator, QueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(elevator);
        Simulation = simulation;
        Driver = driver;
        Options = options ?? QueueOptions.Default;
        Options.Validate();
        Limits = EffectiveLimits(driver.Info.Limits);
        _tags = new TagSet(Limits.QueueDepth);
        _timeoutNs = Options.TimeoutNs;
        _flush = new FlushSequencer(this);
        _timeoutTimer = new SimTimer(simulation, OnTimeoutTimer);
        _busyTimer = new SimTimer(simulation, OnBusyRetry);
        _elevatorTimer = new SimTimer(simulation, RunDispatch);
        _splitChildren = new Dictionary<Bio, SplitParent>(ReferenceEqualityComparer.Instance);
        ClaimElevator(elevator);
        Elevator = elevator;
        _nrRequests = Options.NrRequests ?? DefaultNrRequests(elevator, Limits.TagSetDepth);
        elevator.Attach(this);
        driver.Attach(this);
    }

    public Simulation Simulation { get; }

    public IBlockDriver Driver { get; }

    public QueueOptions Options { get; }

    /// <summary>The driver's limits, with MaxSectors clamped to MaxHardwareSectors and whole logical blocks.</summary>
    public QueueLimits Limits { get; }

    public IElevator Elevator { get; private set; }

    /// <summary>The disk this queue serves, once <see cref="BlockDevice.CreateDisk(string, uint, uint, RequestQueue, long)"/> made it.</summary>
    public BlockDevice? Disk { get; private set; }

    public IBlockTracer? Tracer { get; set; }

    /// <summary>Time a request may stay at the device before <see cref="IBlockDriver.TimeoutRequest"/> (default 30 s); applies to requests issued after the change.</summary>
    public long TimeoutNs
    {
        get => _timeoutNs;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _timeoutNs = value;
        }
    }

    /// <summary>What the queue did: merges, splits, requeues, busy answers, timeouts, flushes.</summary>
    public RequestQueueStatistics Statistics { get; } = new();

    /// <summary>Requests the elevator holds now.</summary>
    public int HeldCount => _held.Count;

    /// <summary>Requests waiting on the queue's own dispatch list (requeued, bounced, flush steps).</summary>
    public int DispatchListCount => _dispatchList.Count;

    // ---- IElevatorQueue ----

    public long Now => Simulation.Now;

    public long CapacitySectors => Disk?.CapacitySectors ?? Driver.Info.CapacitySectors;

    public bool Rotational => Limits.Rotational;

    public int InFlight => _tags.InUse;

    public int InFlightReads { get; private set; }

    /// <summary>Writes, discards and flushes at the device (everything that is not a read, as rq_data_dir counts).</summary>
    public int InFlightWrites { get; private set; }

    public int QueueDepth => _tags.Depth;

    public long HeadPosition { get; private set; }

    public void RunAt(long time)
    {
        long at = Math.Max(time, Simulation.Now);
        if (!_elevatorTimer.IsArmed || at < _elevatorTimer.ExpiresAt)
            _elevatorTimer.ArmAt(at);
    }

    /// <summary>
    /// Switches the scheduler at run time (writing /sys/block/X/queue/scheduler). Linux freezes the queue and drains
    /// it first; here nothing waits: the requests the old scheduler holds are taken back (the queue tracks them),
    /// their scheduler fields cleared, and inserted into the new one in their original insertion order. Requests the
    /// old scheduler already released finish under it - it still hears of their completion - so both schedulers'
    /// accounting stays balanced and no request is lost or issued twice.
    /// </summary>
    public bool TrySetScheduler(IElevator elevator, out string error)
    {
        ArgumentNullException.ThrowIfNull(elevator);
        error = "";
        if (ReferenceEquals(elevator, Elevator))
            return true;
        if (s_elevatorOwners.TryGetValue(elevator, out RequestQueue? owner))
        {
            error = $"{DeviceName}: scheduler {elevator.Name} already serves {owner.DeviceName}; create a new instance for this queue";
            return false;
        }
        IElevator old = Elevator;
        ClaimElevator(elevator);
        try
        {
            elevator.Attach(this);
        }
        catch
        {
            s_elevatorOwners.Remove(elevator); // a scheduler that cannot attach leaves the queue as it was
            throw;
        }
        s_elevatorOwners.Remove(old);
        Elevator = elevator;
        for (RequestContext? context = _held.First; context is not null; context = RequestContextList.Next(context))
        {
            context.ClearElevatorFields();
            elevator.Insert(context.Request, atHead: false);
        }
        Statistics.SchedulerSwitches++;
        // Attaching a scheduler sizes its requests anew, as elevator_switch does; a larger count wakes sleepers.
        NrRequests = DefaultNrRequests(elevator, Limits.TagSetDepth);
        RunDispatch();
        return true;
    }

    /// <summary>
    /// Starts (or nests into) the plug of <paramref name="processId"/>: its requests gather until the plug is
    /// finished, a threshold is reached or the process waits. Dispose or <see cref="BlockPlug.Finish"/> ends it.
    /// </summary>
    public BlockPlug Plug(int processId)
    {
        if (!_plugs.TryGetValue(processId, out BlockPlug? plug))
        {
            plug = new BlockPlug(this, processId);
            _plugs.Add(processId, plug);
        }
        plug.Begin();
        return plug;
    }

    /// <summary>
    /// <paramref name="processId"/> is about to sleep: send what its plug holds (blk_flush_plug from schedule, traced as
    /// an unplug "timer" event as Linux traces an implicit unplug). The plug stays active.
    /// </summary>
    public void FlushPlug(int processId)
    {
        if (_plugs.TryGetValue(processId, out BlockPlug? plug))
            FlushPlug(plug, BlockTraceAction.UnplugTimer);
    }

    internal string DeviceName => Disk?.Name ?? Driver.Info.Model;

    internal uint TraceDevice => Disk?.DeviceNumber ?? 0;

    internal void AttachDisk(BlockDevice disk)
    {
        if (Disk is not null)
            throw new InvalidOperationException($"the queue already serves {Disk.Name}");
        Disk = disk;
    }

    private void ClaimElevator(IElevator elevator)
    {
        if (!s_elevatorOwners.TryAdd(elevator, this))
            throw new ArgumentException($"scheduler {elevator.Name} already serves another queue", nameof(elevator));
    }

    private static QueueLimits EffectiveLimits(QueueLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        int block = limits.LogicalBlockSize;
        if (block < Bio.SectorSize || !System.Numerics.BitOperations.IsPow2(block))
            throw new ArgumentException($"logical block size {block} is not a power of two of at least {Bio.SectorSize}");
        if (limits.PhysicalBlockSize < block || !System.Numerics.BitOperations.IsPow2(limits.PhysicalBlockSize))
            throw new ArgumentException($"physical block size {limits.PhysicalBlockSize} is not a power of two of at least the logical {block}");
        if (limits.MaxSegmentSize < block || limits.MaxSegmentSize % block != 0)
            throw new ArgumentException($"max segment size {limits.MaxSegmentSize} is not a multiple of the logical block size {block}");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxSegments, "limits.MaxSegments");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.QueueDepth, "limits.QueueDepth");
        if (limits.TagSetDepth != 0 && limits.TagSetDepth < limits.QueueDepth)
            throw new ArgumentException($"tag set depth {limits.TagSetDepth} is less than the queue depth {limits.QueueDepth}");
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxDiscardSectors, "limits.MaxDiscardSectors");
        int blockSectors = block / Bio.SectorSize;
        int maxSectors = Math.Min(limits.MaxSectors, limits.MaxHardwareSectors);
        maxSectors -= maxSectors % blockSectors;
        if (maxSectors < blockSectors)
            throw new ArgumentException($"max sectors {limits.MaxSectors} (hardware {limits.MaxHardwareSectors}) is less than one logical block");
        long maxDiscard = limits.MaxDiscardSectors - limits.MaxDiscardSectors % blockSectors;
        return limits with { MaxSectors = maxSectors, MaxDiscardSectors = maxDiscard, TagSetDepth = Math.Max(limits.TagSetDepth, limits.QueueDepth) };
    }
}
