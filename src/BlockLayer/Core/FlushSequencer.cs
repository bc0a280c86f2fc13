namespace Hardware.BlockLayer;

/// <summary>
/// Linux's blk-flush for one queue: a request with a preflush waits for a cache flush before its data goes out; a
/// FUA write on a device without FUA is followed by a flush before it completes; an empty flush waits for one
/// flush. Waiters share flushes: everyone waiting when the flush goes to the device rides on it; who comes later
/// waits for the next one, because a flush only covers writes that had completed when it was issued. So nothing
/// that completed before a flush was asked for is ordered after it. Sequenced requests bypass plugging, merging and
/// the elevator (they go on the queue's dispatch list). A failed flush fails every request waiting on it.
/// </summary>
internal sealed class FlushSequencer
{
    private readonly RequestQueue _queue;
    private readonly RequestContextList _pending = new();
    private readonly RequestContextList _running = new();
    /// <summary>The one flush request queued or at the device, if any.</summary>
    private RequestContext? _current;
    private bool _advancingWaiters;

    /// <summary>The queued flush went to the device at least once, so its waiters are fixed.</summary>
    private bool _sealed;

    public FlushSequencer(RequestQueue queue)
    {
        _queue = queue;
    }

    /// <summary>Begins the sequence of a new request (it has preflush, emulated FUA, or is an empty flush).</summary>
    public void Start(RequestContext context, BioFlags flags)
    {
        Request request = context.Request;
        context.Kind = RequestKind.Sequenced;
        FlushSteps steps = request.Op == BioOp.Flush ? FlushSteps.Preflush : FlushSteps.Data;
        if (request.Op != BioOp.Flush && (flags & BioFlags.Preflush) != 0)
            steps |= FlushSteps.Preflush;
        if (request.Op != BioOp.Flush && (flags & BioFlags.Fua) != 0 && !_queue.Limits.Fua)
            steps |= FlushSteps.Postflush;
        context.RemainingSteps = steps;
        Advance(context, FlushSteps.None, Errno.None);
    }

    /// <summary>The data step of a sequenced request came back from the device.</summary>
    public void DataCompleted(RequestContext context, Errno status) => Advance(context, FlushSteps.Data, status);

    /// <summary>The flush goes to the device now: it serves exactly the requests waiting at this moment.</summary>
    public void Issuing(RequestContext flush)
    {
        if (!ReferenceEquals(flush, _current) || _sealed)
            return; // reissued after a requeue or a busy answer: its waiters were fixed the first time
        _sealed = true;
        while (_pending.RemoveFirst() is { } waiter)
            _running.AddLast(waiter);
    }

    /// <summary>The flush at the device completed: every request it served moves on, then the next flush starts if anyone waits.</summary>
    public void FlushCompleted(RequestContext flush, Errno status)
    {
        if (!ReferenceEquals(flush, _current))
            throw new InvalidOperationException($"{flush} is not the current flush");
        _current = null;
        _sealed = false;
        _advancingWaiters = true;
        while (_running.RemoveFirst() is { } waiter)
            Advance(waiter, waiter.WaitingFor, status);
        _advancingWaiters = false;
        Kick();
    }

    private void Advance(RequestContext context, FlushSteps done, Errno status)
    {
        context.RemainingSteps &= ~done;
        context.WaitingFor = FlushSteps.None;
        if (status != Errno.None || context.RemainingSteps == FlushSteps.None)
        {
            _queue.FinishRequest(context, status);
            return;
        }
        if ((context.RemainingSteps & FlushSteps.Preflush) != 0)
        {
            WaitForFlush(context, FlushSteps.Preflush);
        }
        else if ((context.RemainingSteps & FlushSteps.Data) != 0)
        {
            _queue.AddToDispatchList(context);
            _queue.KickDispatch();
        }
        else
        {
            WaitForFlush(context, FlushSteps.Postflush);
        }
    }

    private void WaitForFlush(RequestContext context, FlushSteps step)
    {
        context.WaitingFor = step;
        _pending.AddLast(context);
        Kick();
    }

    /// <summary>Queues a flush for whoever is pending, unless one is queued or at the device already.</summary>
    private void Kick()
    {
        if (_current is not null || _advancingWaiters || _pending.First is not { } first)
            return;
        RequestContext flush = _queue.RentContext();
        flush.Kind = RequestKind.FlushCommand;
        flush.Device = first.Device!.Disk;
        Request request = flush.Request;
        request.Op = BioOp.Flush;
        request.ProcessId = first.Request.ProcessId;
        request.StartTime = _queue.Simulation.Now;
        _current = flush;
        _queue.Statistics.FlushesIssued++;
        _queue.AddToDispatchList(flush);
        _queue.KickDispatch();
    }
}
