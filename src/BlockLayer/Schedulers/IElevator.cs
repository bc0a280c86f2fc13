namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// An I/O scheduler (elevator), after Linux's elevator_mq_ops. The request queue inserts requests, asks for the
/// next one to issue whenever the device can take one, and reports completions and merges. Merge lookups are the
/// queue's; the scheduler may veto a merge and must re-file a request whose start sector a front merge changed.
/// </summary>
public interface IElevator
{
    /// <summary>Name as /sys/block/X/queue/scheduler shows it (none, mq-deadline, bfq, kyber, sstf, ...).</summary>
    string Name { get; }

    /// <summary>Called once before any other call.</summary>
    void Attach(IElevatorQueue queue);

    void Insert(Request request, bool atHead);

    /// <summary>
    /// The next request to issue, removed from the scheduler; null when nothing should go now: empty, or holding
    /// back on purpose (idling, throttling) - then the scheduler asks for a later run with <see cref="IElevatorQueue.RunAt"/>.
    /// </summary>
    Request? Dispatch();

    /// <summary>Whether requests are held (even if <see cref="Dispatch"/> would not release one right now).</summary>
    bool HasPending { get; }

    /// <summary>A request the scheduler released has completed at the device.</summary>
    void Completed(Request request);

    /// <summary>May <paramref name="bio"/> be merged into <paramref name="request"/> (held by this scheduler)?</summary>
    bool AllowMerge(Request request, Bio bio, MergeKind kind);

    /// <summary>A bio was merged into a held request; after a front merge its start sector changed.</summary>
    void Merged(Request request, MergeKind kind);

    /// <summary><paramref name="next"/> was merged into <paramref name="request"/> and leaves the scheduler.</summary>
    void RequestsMerged(Request request, Request next);

    /// <summary>Tunables as /sys/block/X/queue/iosched/ shows them.</summary>
    IReadOnlyList<ElevatorTunable> Tunables { get; }

    /// <summary>Sets a tunable from its text form ("100ms", "16", "1"); false with a message naming the tunable and value.</summary>
    bool TrySetTunable(string name, string value, out string error);

    /// <summary>
    /// How many requests may exist when a request of <paramref name="op"/> with <paramref name="flags"/> is made, out
    /// of the queue's <paramref name="nrRequests"/> (the scheduler's limit_depth: kyber and bfq let asynchronous
    /// requests take only the first part of the tags, so synchronous ones always find one). By default nothing is
    /// held back, as mq-deadline since Linux 6.10.
    /// </summary>
    int RequestLimit(BioOp op, BioFlags flags, int nrRequests) => nrRequests;

    /// <summary>Internal counters (dispatched, expired, merges vetoed, idle windows, ...).</summary>
    IReadOnlyList<KeyValuePair<string, long>> Statistics { get; }
}

public enum MergeKind
{
    /// <summary>The bio continues the request (bio sector == request end).</summary>
    Back,
    /// <summary>The bio ends where the request starts.</summary>
    Front,
}

/// <summary>What a scheduler may ask of the queue it serves.</summary>
public interface IElevatorQueue
{
    /// <summary>Current virtual time in nanoseconds.</summary>
    long Now { get; }

    long CapacitySectors { get; }

    bool Rotational { get; }

    /// <summary>Requests at the device now.</summary>
    int InFlight { get; }

    int InFlightReads { get; }

    int InFlightWrites { get; }

    /// <summary>Tags the driver offers (the device's queue depth).</summary>
    int QueueDepth { get; }

    /// <summary>Sector just past the last request dispatched: where the head will be, for the seek-based schedulers.</summary>
    long HeadPosition { get; }

    /// <summary>Asks the queue to call <see cref="IElevator.Dispatch"/> again at <paramref name="time"/> (idling, expiry).</summary>
    void RunAt(long time);
}

/// <summary>One tunable: its name, unit, default and current value in text form, as sysfs shows them.</summary>
public sealed record ElevatorTunable(string Name, string Unit, string Default, string Value, string Description);
