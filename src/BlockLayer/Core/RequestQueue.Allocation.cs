using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer;

// Request allocation (blk_mq_get_new_requests over the scheduler tags): at most NrRequests requests exist at once -
// plugged, held by the elevator, on the dispatch list or at the device - and the elevator may hold a class of them
// to fewer (limit_depth: kyber and bfq keep the last tags for synchronous requests). A bio that needs a new request
// when its limit is reached waits, as its submitter sleeps in blk_mq_get_tag, and a sleeping submitter submits
// nothing more until it wakes: its later bios wait behind the first. Sleepers wake in order, one freed request each,
// the first whose bio may take it; a woken submitter takes its request and goes on submitting - bios that merge need
// none - until the next one must sleep again, behind everyone already asleep (the sbitmap wait queue). The
// cache-flush commands blk-flush issues are its own flush_rq, not counted. blk-mq traces no event for the sleep: a
// waiting bio shows as a long Q to G gap in blkparse.
public sealed partial class RequestQueue
{
    private static readonly Action<object?> s_admitWaiters = static state => ((RequestQueue)state!).AdmitWaiters();

    /// <summary>The bios of each submitter asleep for a request (kept per process once made, so waiting allocates nothing).</summary>
    private readonly Dictionary<int, Queue<WaitingBio>> _waiting = new();

    /// <summary>Sleeping submitters in the order they went to sleep.</summary>
    private readonly List<int> _sleepers = [];

    private int _nrRequests;
    private bool _admitPosted;

    /// <summary>Requests that exist now, counted against <see cref="NrRequests"/>.</summary>
    public int AllocatedRequests { get; private set; }

    /// <summary>Bios waiting for a request (their submitters asleep).</summary>
    public int WaitingBios { get; private set; }

    /// <summary>
    /// /sys/block/X/queue/nr_requests: how many requests may exist at once. Attaching a scheduler sets it to twice the
    /// driver's tag set depth, at most 256 (blk_mq_init_sched: 2 * min(depth, BLKDEV_DEFAULT_RQ)); "none" to the tag
    /// set depth, the driver tags themselves. At least 4 (BLKDEV_MIN_RQ). Raising it wakes sleepers at once.
    /// </summary>
    public int NrRequests
    {
        get => _nrRequests;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinRequests, nameof(NrRequests));
            _nrRequests = value;
            if (_sleepers.Count > 0)
                PostAdmission();
        }
    }

    /// <summary>BLKDEV_MIN_RQ.</summary>
    public const int MinRequests = 4;

    /// <summary>BLKDEV_DEFAULT_RQ: the queue depth the scheduler's request count is derived from is capped here.</summary>
    private const int DefaultRequestBase = 128;

    private static int DefaultNrRequests(IElevator elevator, int tagSetDepth) =>
        Math.Max(MinRequests, elevator is NoneElevator ? tagSetDepth : 2 * Math.Min(tagSetDepth, DefaultRequestBase));

    /// <summary>Whether <paramref name="processId"/> is asleep for a request: its new bios queue behind the one it sleeps on.</summary>
    private bool IsAsleepForRequest(int processId) => _sleepers.Count > 0 && _waiting.TryGetValue(processId, out Queue<WaitingBio>? bios) && bios.Count > 0;

    /// <summary>How many requests may exist when one of <paramref name="op"/> with <paramref name="flags"/> is made.</summary>
    private int RequestLimit(BioOp op, BioFlags flags) => Math.Min(_nrRequests, Elevator.RequestLimit(op, flags, _nrRequests));

    /// <summary>
    /// No request can be made now for this bio: its limit is reached, or a sleeper whose bio may take at least as
    /// many requests sleeps already and goes first (a sleeper held back by a lower limit does not hold it back).
    /// </summary>
    private bool MustWaitForRequest(BioOp op, BioFlags flags)
    {
        int limit = RequestLimit(op, flags);
        if (AllocatedRequests >= limit)
            return true;
        foreach (int processId in _sleepers)
        {
            WaitingBio head = _waiting[processId].Peek();
            if (RequestLimit(head.Bio.Op, head.Flags) >= limit)
                return true;
        }
        return false;
    }

    /// <summary>The submitter of <paramref name="bio"/> goes to sleep for a request (or, asleep already, queues the bio behind its others).</summary>
    private void WaitForRequest(BlockDevice device, Bio bio, long diskSector, BioFlags flags, int segments)
    {
        int processId = bio.ProcessId;
        if (!_waiting.TryGetValue(processId, out Queue<WaitingBio>? bios))
        {
            bios = new Queue<WaitingBio>();
            _waiting.Add(processId, bios);
        }
        if (bios.Count == 0)
        {
            // Going to sleep: schedule() flushes the plug first, so what it holds reaches the elevator.
            if (_plugs.TryGetValue(processId, out BlockPlug? plug) && plug.IsActive)
                FlushPlug(plug, Tracing.BlockTraceAction.UnplugTimer);
            _sleepers.Add(processId);
            Statistics.RequestWaits++;
        }
        bios.Enqueue(new WaitingBio(device, bio, diskSector, flags, segments));
        WaitingBios++;
    }

    /// <summary>Counts a new request; freeing one (<see cref="ReleaseRequestSlot"/>) may wake a sleeper.</summary>
    private void TakeRequestSlot(RequestContext context)
    {
        context.HoldsRequestSlot = true;
        AllocatedRequests++;
    }

    private void ReleaseRequestSlot(RequestContext context)
    {
        if (!context.HoldsRequestSlot)
            return;
        context.HoldsRequestSlot = false;
        AllocatedRequests--;
        if (_sleepers.Count > 0)
            PostAdmission();
    }

    /// <summary>The woken sleepers run after the code that freed their requests, as a woken task does.</summary>
    private void PostAdmission()
    {
        if (_admitPosted)
            return;
        _admitPosted = true;
        Simulation.Post(s_admitWaiters, this);
    }

    /// <summary>
    /// Wakes sleepers in order while requests are free: the first whose bio may take one makes the request it slept
    /// for, then submits its next bios - merged where they can be - until one needs a request again and it sleeps
    /// behind the others.
    /// </summary>
    private void AdmitWaiters()
    {
        _admitPosted = false;
        while (NextAdmissible() is var at && at >= 0)
        {
            int processId = _sleepers[at];
            _sleepers.RemoveAt(at);
            Queue<WaitingBio> bios = _waiting[processId];
            MakeRequest(bios.Dequeue());
            WaitingBios--;
            while (bios.Count > 0 && TryMergeWaiting(bios.Peek()))
            {
                bios.Dequeue();
                WaitingBios--;
            }
            if (bios.Count > 0)
            {
                _sleepers.Add(processId);
                Statistics.RequestWaits++;
            }
        }
        RunDispatch();
    }

    /// <summary>The position of the first sleeper whose bio may take a request now, or -1.</summary>
    private int NextAdmissible()
    {
        for (int i = 0; i < _sleepers.Count; i++)
        {
            WaitingBio head = _waiting[_sleepers[i]].Peek();
            if (AllocatedRequests < RequestLimit(head.Bio.Op, head.Flags))
                return i;
        }
        return -1;
    }

    private bool TryMergeWaiting(in WaitingBio waiting) =>
        Options.Merges && (waiting.Flags & NoMergeFlags) == 0 && !NeedsFlushSequence(waiting.Bio.Op, waiting.Flags)
        && TryElevatorMerge(waiting.Device, waiting.Bio, waiting.DiskSector, waiting.Segments);

    private void MakeRequest(in WaitingBio waiting)
    {
        RequestContext context = NewRequest(waiting.Device, waiting.Bio, waiting.DiskSector, waiting.Flags, waiting.Segments);
        if (NeedsFlushSequence(waiting.Bio.Op, waiting.Flags))
            _flush.Start(context, waiting.Flags);
        else
            InsertIntoElevator(context);
    }

    private readonly record struct WaitingBio(BlockDevice Device, Bio Bio, long DiskSector, BioFlags Flags, int Segments);
}
