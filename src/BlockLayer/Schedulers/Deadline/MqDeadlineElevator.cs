using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Linux's mq-deadline (block/mq-deadline.c), one priority level. Each direction keeps a sector-sorted index and
/// a FIFO ordered by expiry. Requests go out in batches of up to fifo_batch in ascending sector order from where
/// the last one of that direction ended; between batches the scheduler picks a direction (reads, unless writes
/// have waited through writes_starved read batches) and starts from the oldest request if its deadline has
/// passed, otherwise from the sector-sorted successor.
/// </summary>
public sealed class MqDeadlineElevator : ElevatorBase
{
    public const string ElevatorName = "mq-deadline";

    private const int ReadDirection = 0;
    private const int WriteDirection = 1;
    private const long MaxExpire = int.MaxValue * SimTime.Millisecond; // sysfs takes an int of milliseconds

    private readonly SectorTree[] _sorted = [new(), new()];
    private readonly RequestList[] _fifo = [new(), new()];
    private readonly long[] _expire = new long[2];
    private readonly long[] _latestPosition = new long[2];
    private int _lastDirection = WriteDirection;
    private int _batching;
    private int _starved;
    private long _fifoBatch;
    private long _writesStarved;
    private bool _frontMerges;

    private long _batches;
    private readonly long[] _expired = new long[2];
    private long _starvedWritesServed;
    private long _frontMergesVetoed;

    public MqDeadlineElevator()
        : this(new MqDeadlineOptions())
    {
    }

    public MqDeadlineElevator(MqDeadlineOptions options)
        : base(ElevatorName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = new MqDeadlineOptions();
        Settings.Add(new DurationTunable("read_expire", "ms", defaults.ReadExpire, 0, MaxExpire,
            "longest a read waits before it is served out of sector order",
            () => _expire[ReadDirection], v => _expire[ReadDirection] = v)).Set(options.ReadExpire);
        Settings.Add(new DurationTunable("write_expire", "ms", defaults.WriteExpire, 0, MaxExpire,
            "longest a write waits before it is served out of sector order",
            () => _expire[WriteDirection], v => _expire[WriteDirection] = v)).Set(options.WriteExpire);
        Settings.Add(new IntegerTunable("writes_starved", "", defaults.WritesStarved, 0, int.MaxValue,
            "read batches chosen while writes wait before writes get a batch",
            () => _writesStarved, v => _writesStarved = v)).Set(options.WritesStarved);
        Settings.Add(new IntegerTunable("fifo_batch", "", defaults.FifoBatch, 0, int.MaxValue,
            "requests issued in sector order per batch (1 behaves like FCFS by deadline)",
            () => _fifoBatch, v => _fifoBatch = v)).Set(options.FifoBatch);
        Settings.Add(new IntegerTunable("front_merges", "", defaults.FrontMerges ? 1 : 0, 0, 1,
            "1 lets bios merge at the front of a held request",
            () => _frontMerges ? 1 : 0, v => _frontMerges = v != 0)).Set(options.FrontMerges ? 1 : 0);
    }

    protected override bool AlgorithmHasPending => !_fifo[ReadDirection].IsEmpty || !_fifo[WriteDirection].IsEmpty;

    protected override void Add(Request request)
    {
        int direction = DirectionOf(request);
        _sorted[direction].Add(request);
        request.ElevatorDeadline = Queue.Now + _expire[direction];
        _fifo[direction].AddLast(request);
    }

    protected override Request? Next()
    {
        Request? request = NextInSectorOrder(_lastDirection);
        if (request is null || _batching >= _fifoBatch)
        {
            request = StartBatch();
            if (request is null)
                return null;
        }
        _batching++;
        int direction = DirectionOf(request);
        _sorted[direction].Remove(request);
        _fifo[direction].Remove(request);
        _latestPosition[direction] = request.EndSector;
        return request;
    }

    protected override void RemoveMerged(Request next, Request? survivor)
    {
        int direction = DirectionOf(next);
        RequestList fifo = _fifo[direction];
        // The merged request keeps the earlier of the two deadlines and that request's place in the FIFO.
        if (survivor is not null && DirectionOf(survivor) == direction && next.ElevatorDeadline < survivor.ElevatorDeadline)
        {
            fifo.Remove(survivor);
            fifo.InsertAfter(next, survivor);
            survivor.ElevatorDeadline = next.ElevatorDeadline;
        }
        _sorted[direction].Remove(next);
        fifo.Remove(next);
    }

    protected override bool MayMerge(Request request, Bio bio, MergeKind kind)
    {
        if (kind == MergeKind.Front && !_frontMerges)
        {
            _frontMergesVetoed++;
            return false;
        }
        return true;
    }

    protected override void OnMerged(Request request, MergeKind kind)
    {
        if (kind != MergeKind.Front)
            return;
        SectorTree tree = _sorted[DirectionOf(request)];
        tree.Remove(request);
        tree.Add(request);
    }

    protected override void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
        statistics.Add(new("batches", _batches));
        statistics.Add(new("read_deadline_expired", _expired[ReadDirection]));
        statistics.Add(new("write_deadline_expired", _expired[WriteDirection]));
        statistics.Add(new("starved_writes_served", _starvedWritesServed));
        statistics.Add(new("front_merges_vetoed", _frontMergesVetoed));
    }

    private static int DirectionOf(Request request) => request.IsRead ? ReadDirection : WriteDirection;

    /// <summary>The held request of that direction at or after where the last one of that direction ended.</summary>
    private Request? NextInSectorOrder(int direction) => _sorted[direction].Ceiling(_latestPosition[direction]);

    private Request? StartBatch()
    {
        int direction;
        if (!_fifo[ReadDirection].IsEmpty)
        {
            if (!_fifo[WriteDirection].IsEmpty && _starved++ >= _writesStarved)
            {
                direction = WriteDirection;
                _starved = 0;
                _starvedWritesServed++;
            }
            else
            {
                direction = ReadDirection;
            }
        }
        else if (!_fifo[WriteDirection].IsEmpty)
        {
            direction = WriteDirection;
            _starved = 0;
        }
        else
        {
            return null;
        }

        Request? request = NextInSectorOrder(direction);
        Request oldest = _fifo[direction].First!;
        if (oldest.ElevatorDeadline <= Queue.Now)
        {
            _expired[direction]++;
            request = oldest;
        }
        else
        {
            request ??= oldest; // nothing above the last position: start again from the oldest
        }
        _lastDirection = direction;
        _batching = 0;
        _batches++;
        return request;
    }
}
