using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Stats;

/// <summary>
/// The I/O counters of one block device in the shape of /proc/diskstats. Counted as Linux's blk-mq accounting
/// does: ios, sectors and ticks when a request completes (whatever its status), merges when a bio or request
/// merges, ticks from the request's allocation to its completion, in-flight requests while at the device, io_ticks
/// the time with at least one request at the device, and time_in_queue the sum of all ticks. A partition's requests
/// count in the partition and in its disk; flushes count in the disk only. Kept in nanoseconds, shown in ms.
/// </summary>
public sealed class DiskStats
{
    private const int Groups = 4;

    private readonly Simulation _simulation;
    private readonly long[] _ios = new long[Groups];
    private readonly long[] _merges = new long[Groups];
    private readonly long[] _sectors = new long[Groups];
    private readonly long[] _ticksNs = new long[Groups];
    private long _ioTicksNs;
    private long _busySince;

    internal DiskStats(Simulation simulation)
    {
        _simulation = simulation;
    }

    public long ReadIos => _ios[(int)StatGroup.Read];
    public long ReadMerges => _merges[(int)StatGroup.Read];
    public long ReadSectors => _sectors[(int)StatGroup.Read];
    public long ReadTicksMs => Ticks(StatGroup.Read) / SimTime.Millisecond;

    public long WriteIos => _ios[(int)StatGroup.Write];
    public long WriteMerges => _merges[(int)StatGroup.Write];
    public long WriteSectors => _sectors[(int)StatGroup.Write];
    public long WriteTicksMs => Ticks(StatGroup.Write) / SimTime.Millisecond;

    public long DiscardIos => _ios[(int)StatGroup.Discard];
    public long DiscardMerges => _merges[(int)StatGroup.Discard];
    public long DiscardSectors => _sectors[(int)StatGroup.Discard];
    public long DiscardTicksMs => Ticks(StatGroup.Discard) / SimTime.Millisecond;

    public long FlushIos => _ios[(int)StatGroup.Flush];
    public long FlushTicksMs => Ticks(StatGroup.Flush) / SimTime.Millisecond;

    /// <summary>Requests at the device now.</summary>
    public int InFlight { get; private set; }

    /// <summary>Time with at least one request at the device (what iostat's %util divides).</summary>
    public long IoTicksNs => _ioTicksNs + (InFlight > 0 ? _simulation.Now - _busySince : 0);

    public long IoTicksMs => IoTicksNs / SimTime.Millisecond;

    /// <summary>Weighted time: the sum of every group's ticks (Linux computes field 14 this way since 5.0).</summary>
    public long TimeInQueueNs => _ticksNs[0] + _ticksNs[1] + _ticksNs[2] + _ticksNs[3];

    public long TimeInQueueMs => TimeInQueueNs / SimTime.Millisecond;

    public long Ios(StatGroup group) => _ios[(int)group];

    public long Merges(StatGroup group) => _merges[(int)group];

    public long Sectors(StatGroup group) => _sectors[(int)group];

    public long Ticks(StatGroup group) => _ticksNs[(int)group];

    /// <summary>The counters now, for iostat-style rates between two samples.</summary>
    public DiskStatsSnapshot Snapshot() => new(
        _simulation.Now,
        ReadIos, ReadMerges, ReadSectors, Ticks(StatGroup.Read),
        WriteIos, WriteMerges, WriteSectors, Ticks(StatGroup.Write),
        InFlight, IoTicksNs, TimeInQueueNs,
        DiscardIos, DiscardMerges, DiscardSectors, Ticks(StatGroup.Discard),
        FlushIos, Ticks(StatGroup.Flush));

    /// <summary>This device's line of /proc/diskstats (major, minor, name and the 17 counters in kernel order).</summary>
    public string ToDiskstatsLine(uint major, uint minor, string name) => Snapshot().ToDiskstatsLine(major, minor, name);

    internal void AddMerge(StatGroup group) => _merges[(int)group]++;

    internal void AddCompletion(StatGroup group, long sectors, long ticksNs)
    {
        _ios[(int)group]++;
        _sectors[(int)group] += sectors;
        _ticksNs[(int)group] += ticksNs;
    }

    internal void RequestStarted()
    {
        if (InFlight++ == 0)
            _busySince = _simulation.Now;
    }

    internal void RequestEnded()
    {
        if (InFlight == 0)
            throw new InvalidOperationException("in-flight count would go negative");
        if (--InFlight == 0)
            _ioTicksNs += _simulation.Now - _busySince;
    }
}
