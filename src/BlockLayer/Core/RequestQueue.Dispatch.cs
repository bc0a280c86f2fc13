using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// From plug to device: unplugging, insertion into the elevator (with insert merges), the dispatch loop, driver tags,
// "busy" answers and the request timeout.
public sealed partial class RequestQueue
{
    private static readonly Action<object?> s_runDispatch = static state => ((RequestQueue)state!).OnDeferredDispatch();

    private bool _inDispatch;
    private bool _dispatchAgain;
    private bool _dispatchPosted;

    /// <summary>The driver said "not now": nothing more is issued until a completion (or the retry timer).</summary>
    private bool _driverBusy;

    // ---- plugging ----

    private void AddToPlug(BlockPlug plug, RequestContext context)
    {
        RequestContextList requests = plug.Requests;
        if (requests.Last is { } last
            && (requests.Count >= Options.PlugMaxRequests || (long)last.Request.SectorCount * Bio.SectorSize >= Options.PlugMaxBytes))
            FlushPlug(plug, BlockTraceAction.UnplugIo);
        if (requests.Count == 0)
        {
            TracePlug(BlockTraceAction.Plug, plug.ProcessId, 0);
            if (Options.UnplugTimerNs is { } delay)
                plug.ArmUnplugTimer(delay);
        }
        requests.AddLast(context);
    }

    /// <summary>Sends everything <paramref name="plug"/> holds to the elevator, in submission order, and dispatches.</summary>
    internal void FlushPlug(BlockPlug plug, BlockTraceAction action)
    {
        RequestContextList requests = plug.Requests;
        plug.CancelUnplugTimer();
        if (requests.Count == 0)
            return;
        Statistics.PlugFlushes++;
        TracePlug(action, plug.ProcessId, requests.Count);
        while (requests.RemoveFirst() is { } context)
            InsertIntoElevator(context);
        RunDispatch();
    }

    // ---- the elevator ----

    /// <summary>
    /// Hands a new request to the elevator - unless it can join a held request that ends where it starts
    /// (elv_attempt_insert_merge), in which case it is merged away and the grown request tries its neighbours.
    /// </summary>
    private void InsertIntoElevator(RequestContext context)
    {
        Request request = context.Request;
        if (Options.Merges && (request.Flags & NoMergeFlags) == 0
            && FindMergeableHeld(_byEnd, request.Sector, context, after: false) is { } front)
        {
            _byEnd.Remove(front.Request.EndSector, front);
            JoinRequests(front, context);
            _byEnd.Add(front.Request.EndSector, front);
            Elevator.Merged(front.Request, Schedulers.MergeKind.Back);
            ReturnContext(context);
            CoalesceNeighbours(front);
            return;
        }
        request.InsertTime = Simulation.Now;
        context.ClearElevatorFields();
        context.IsHeld = true;
        _held.AddLast(context);
        _byStart.Add(request.Sector, context);
        _byEnd.Add(request.EndSector, context);
        TraceRequest(BlockTraceAction.Insert, request);
        Elevator.Insert(request, atHead: false);
    }

    /// <summary>Takes a held request out of the queue's indexes (it was dispatched or merged away).</summary>
    private void Unhold(RequestContext context)
    {
        if (!_byStart.Remove(context.Request.Sector, context) || !_byEnd.Remove(context.Request.EndSector, context))
            throw new InvalidOperationException($"{context} was not indexed by its sectors");
        _held.Remove(context);
        context.IsHeld = false;
    }

    private RequestContext? TakeFromElevator()
    {
        Request? request = Elevator.Dispatch();
        if (request is null)
            return null;
        RequestContext context = _byStart.Find(request.Sector, request)
            ?? throw new InvalidOperationException($"{DeviceName}: scheduler {Elevator.Name} dispatched {request}, which it does not hold");
        Unhold(context);
        context.ReleasedBy = Elevator;
        return context;
    }

    // ---- dispatch ----

    /// <summary>Puts a request at the end of the queue's own dispatch list, ahead of the elevator (a flush sequence step).</summary>
    internal void AddToDispatchList(RequestContext context)
    {
        TraceRequest(BlockTraceAction.Insert, context.Request);
        _dispatchList.AddLast(context);
    }

    /// <summary>Issues requests while the driver has free tags and takes them: the dispatch list first, then the elevator.</summary>
    private void RunDispatch()
    {
        if (_inDispatch)
        {
            _dispatchAgain = true;
            return;
        }
        _inDispatch = true;
        try
        {
            do
            {
                _dispatchAgain = false;
                while (!_driverBusy && _tags.HasFree)
                {
                    RequestContext? context = _dispatchList.RemoveFirst() ?? TakeFromElevator();
                    if (context is null)
                        break;
                    Issue(context);
                }
            }
            while (_dispatchAgain);
        }
        finally
        {
            _inDispatch = false;
        }
    }

    /// <summary>Runs the dispatch loop as a fresh event, so a driver never sees TryQueueRequest inside its own completion call.</summary>
    internal void KickDispatch()
    {
        if (_dispatchPosted)
            return;
        _dispatchPosted = true;
        Simulation.Post(s_runDispatch, this);
    }

    private void OnDeferredDispatch()
    {
        _dispatchPosted = false;
        RunDispatch();
    }

    private void Issue(RequestContext context)
    {
        Request request = context.Request;
        long endSector = request.EndSector;
        bool movesHead = request.Op is BioOp.Read or BioOp.Write;
        request.Tag = _tags.Take(context);
        request.IssueTime = Simulation.Now;
        if (request.Op == BioOp.Read)
            InFlightReads++;
        else
            InFlightWrites++;
        AccountStart(context);
        context.Deadline = Simulation.Now + _timeoutNs;
        if (!_timeoutTimer.IsArmed || context.Deadline < _timeoutTimer.ExpiresAt)
            _timeoutTimer.ArmAt(context.Deadline);
        Statistics.Issued++;
        TraceRequest(BlockTraceAction.Issue, request);
        if (context.Kind == RequestKind.FlushCommand)
            _flush.Issuing(context);
        if (Driver.TryQueueRequest(request))
        {
            if (movesHead)
                HeadPosition = endSector;
            return;
        }
        // "Not now" (BLK_STS_DEV_RESOURCE): give the tag back and retry this request first once something completes.
        if (!ReferenceEquals(_tags.Owner(request.Tag), context))
            throw new InvalidOperationException($"{DeviceName}: driver refused {request} after completing it");
        Retire(context);
        Statistics.BusyAnswers++;
        TraceRequest(BlockTraceAction.Requeue, request);
        _dispatchList.AddFirst(context);
        _driverBusy = true;
        if (_tags.InUse == 0)
            _busyTimer.Arm(Options.BusyRetryDelayNs);
    }

    /// <summary>The request leaves the device: its tag is free and it no longer counts as in flight.</summary>
    private void Retire(RequestContext context)
    {
        Request request = context.Request;
        _tags.Release(request.Tag);
        request.Tag = -1;
        if (request.Op == BioOp.Read)
            InFlightReads--;
        else
            InFlightWrites--;
        AccountEnd(context);
    }

    private void OnBusyRetry()
    {
        _driverBusy = false;
        RunDispatch();
    }

    // ---- timeouts ----

    /// <summary>
    /// One timer for the queue (as blk-mq's q->timeout), armed at the earliest deadline: requests past theirs go to the
    /// driver's timeout handler; one still at the device afterwards gets a fresh deadline (BLK_EH_RESET_TIMER).
    /// </summary>
    private void OnTimeoutTimer()
    {
        long now = Simulation.Now;
        for (int tag = 0; tag < _tags.Depth; tag++)
        {
            if (_tags.Owner(tag) is not { } context || context.Deadline > now)
                continue;
            Statistics.Timeouts++;
            context.Deadline = now + _timeoutNs;
            Driver.TimeoutRequest(context.Request);
        }
        long next = long.MaxValue;
        for (int tag = 0; tag < _tags.Depth; tag++)
        {
            if (_tags.Owner(tag) is { } context)
                next = Math.Min(next, context.Deadline);
        }
        if (next != long.MaxValue && (!_timeoutTimer.IsArmed || next < _timeoutTimer.ExpiresAt))
            _timeoutTimer.ArmAt(next);
    }
}
