namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// One bfq_queue: the requests of one process's sync I/O (or of everyone's async writes), sector-sorted and in
/// FIFO order, with its B-WF2Q+ entity (start, finish, budget, service, weight) and the history BFQ keeps to
/// decide idling and weight raising (think time, seekiness, soft real-time pacing).
/// </summary>
internal sealed class BfqQueue
{
    public BfqQueue(int id, int processId, bool sync, int weight, bool weightUserSet, long maxBudget)
    {
        Id = id;
        ProcessId = processId;
        Sync = sync;
        OriginalWeight = weight;
        WeightUserSet = weightUserSet;
        Weight = weight;
        MaxBudget = maxBudget;
    }

    /// <summary>Creation order; breaks ties between equal finish times.</summary>
    public int Id { get; }

    /// <summary>The process, or -1 for the shared async queue.</summary>
    public int ProcessId { get; }

    public bool Sync { get; }

    public SectorTree Sorted { get; } = new(16);

    public RequestList Fifo { get; } = new();

    // ---- weights ----
    public int OriginalWeight;
    public bool WeightUserSet;
    public int WeightRaiseCoefficient = 1;

    /// <summary>The weight the service tree currently accounts for (original times raising, applied at (re)activation).</summary>
    public long Weight;

    public long TargetWeight => (long)OriginalWeight * WeightRaiseCoefficient;

    // ---- B-WF2Q+ entity ----
    public long Start;
    public long Finish;
    public long Budget;
    public long Service;
    public bool Busy;
    public int BusyIndex = -1;

    // ---- service slot ----
    public long MaxBudget;
    public long BudgetTimeout = long.MinValue / 4; // "long ago": a new queue counts as idle for long
    public long SlotStart;
    public bool FifoChecked;
    public bool WaitingForRequest;
    public long IdleStart;
    public long IdleDeadline;
    public int Dispatched;
    public bool IoBound = true;

    // ---- history ----
    public long LastEndRequest;
    public long ThinkSamples;
    public long ThinkTotal;
    public long ThinkMean;
    public uint SeekHistory;
    public long LastRequestPosition;

    // ---- weight raising ----
    public long WeightRaiseStart;
    public long WeightRaiseDuration;
    public long ServiceFromWeightRaise;
    public long SoftRealTimeNextStart;
    public bool SoftRealTimeUpdatePending;
    public long LastIdleBacklogged;
    public long ServiceFromBacklogged;

    public bool IsWeightRaised => WeightRaiseCoefficient > 1;

    public long BudgetLeft => Budget - Service;

    /// <summary>BFQQ_SEEKY: more than 19 of the last 32 requests were far from their predecessor.</summary>
    public bool Seeky => System.Numerics.BitOperations.PopCount(SeekHistory) > 19;

    /// <summary>BFQQ_TOTALLY_SEEKY: all of the last 32 were.</summary>
    public bool TotallySeeky => SeekHistory == uint.MaxValue;

    public override string ToString() => ProcessId < 0 ? $"bfq async queue {Id}" : $"bfq queue {Id} pid {ProcessId}";
}
