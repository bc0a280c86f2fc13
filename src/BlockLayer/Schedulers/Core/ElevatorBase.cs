namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// What every elevator here shares, around the scheduling algorithm a subclass supplies:
/// <list type="bullet">
/// <item>Requests inserted at the head go to a dispatch list served before anything else, newest first (Linux's
/// per-scheduler dispatch list: requeues after errors land there).</item>
/// <item>Flush ordering: a barrier (a flush, or a request flagged <see cref="BioFlags.Preflush"/>) is issued only
/// once every write and discard inserted before it has been issued; writes and discards inserted after it wait
/// behind it, outside the algorithm, and reads pass. A driver that issues the flush as a non-queued command (as
/// SATA requires) therefore covers everything written before it.</item>
/// <item>Requeue detection: a request re-inserted while a scheduler still has it charged (its
/// <see cref="Request.ElevatorData"/> set at dispatch and not cleared by <see cref="Completed"/>) is released
/// first, so tokens and in-flight counts never leak.</item>
/// <item>Merge hooks routed to wherever the request is held; statistics and tunables plumbing.</item>
/// </list>
/// The algorithm owns the request between <see cref="Add"/> and the moment <see cref="Next"/> returns it.
/// </summary>
public abstract class ElevatorBase : IElevator
{
    private readonly RequestList _dispatchList = new();
    private readonly RequestList _staged = new();
    private Request? _barrier;
    private IElevatorQueue? _queue;
    private int _heldWrites;

    private long _inserted;
    private long _insertedAtHead;
    private long _requeued;
    private long _barriers;
    private long _stagedBehindBarrier;
    private long _dispatchedReads;
    private long _dispatchedWrites;
    private long _dispatchedDiscards;
    private long _dispatchedFlushes;
    private long _completed;
    private long _bioMerges;
    private long _mergesVetoed;
    private long _requestsMerged;

    protected ElevatorBase(string name)
    {
        Name = name;
        Settings = new TunableSet(name);
    }

    public string Name { get; }

    /// <summary>See <see cref="IElevator.RequestLimit"/>: by default a scheduler holds back nothing.</summary>
    public virtual int RequestLimit(BioOp op, BioFlags flags, int nrRequests) => nrRequests;

    /// <summary>The tunables a subclass declares in its constructor.</summary>
    protected TunableSet Settings { get; }

    /// <summary>The queue this elevator serves; valid once attached.</summary>
    protected IElevatorQueue Queue => _queue ?? throw new InvalidOperationException($"{Name}: used before Attach");

    public bool IsAttached => _queue is not null;

    public void Attach(IElevatorQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (_queue is not null)
            throw new InvalidOperationException($"{Name}: already attached to a queue");
        _queue = queue;
        OnAttached();
    }

    public void Insert(Request request, bool atHead)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = Queue;
        if (request.ElevatorData is not null)
        {
            // Dispatched earlier and re-inserted without a completion: a requeue. Release what it holds.
            if (IsHeldByBase(request))
                throw new InvalidOperationException($"{Name}: request {request} inserted twice");
            OnRequeued(request);
            request.ElevatorData = null;
            _requeued++;
        }
        _inserted++;
        if (atHead)
        {
            _insertedAtHead++;
            _dispatchList.AddFirst(request);
            request.ElevatorData = _dispatchList;
            return;
        }
        if (IsBarrier(request))
        {
            _barriers++;
            if (_barrier is null)
            {
                _barrier = request;
                request.ElevatorData = this;
            }
            else
            {
                Stage(request);
            }
            return;
        }
        if (_barrier is not null && IsWriteLike(request))
        {
            Stage(request);
            return;
        }
        AddToAlgorithm(request);
    }

    public Request? Dispatch()
    {
        _ = Queue;
        Request? request = _dispatchList.RemoveFirst();
        if (request is null && _barrier is not null && _heldWrites == 0)
        {
            request = _barrier;
            _barrier = null;
            ReleaseStaged();
        }
        if (request is not null)
        {
            request.ElevatorData = null;
        }
        else
        {
            request = Next();
            if (request is null)
                return null;
            if (IsWriteLike(request))
                _heldWrites--;
        }
        CountDispatch(request);
        return request;
    }

    public bool HasPending => !_dispatchList.IsEmpty || _barrier is not null || !_staged.IsEmpty || AlgorithmHasPending;

    public void Completed(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _completed++;
        OnCompleted(request);
    }

    public bool AllowMerge(Request request, Bio bio, MergeKind kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bio);
        bool allowed;
        if (ReferenceEquals(request.ElevatorData, this) || ReferenceEquals(request.ElevatorData, _dispatchList))
            allowed = false; // a barrier carries ordering, a head insert (a requeue) is already built: leave both alone
        else if (ReferenceEquals(request.ElevatorData, _staged))
            allowed = true;
        else
            allowed = MayMerge(request, bio, kind);
        if (!allowed)
            _mergesVetoed++;
        return allowed;
    }

    public void Merged(Request request, MergeKind kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        _bioMerges++;
        if (!IsHeldByBase(request))
            OnMerged(request, kind);
    }

    public void RequestsMerged(Request request, Request next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        _requestsMerged++;
        if (ReferenceEquals(next.ElevatorData, this))
            throw new InvalidOperationException($"{Name}: barrier request {next} cannot be merged away");
        if (ReferenceEquals(next.ElevatorData, _staged))
        {
            _staged.Remove(next);
        }
        else if (ReferenceEquals(next.ElevatorData, _dispatchList))
        {
            _dispatchList.Remove(next);
        }
        else
        {
            if (IsWriteLike(next))
                _heldWrites--;
            Request? survivor = IsHeldByBase(request) ? null : request;
            RemoveMerged(next, survivor);
        }
        next.ElevatorData = null;
    }

    public IReadOnlyList<ElevatorTunable> Tunables => Settings.Describe();

    public bool TrySetTunable(string name, string value, out string error) => Settings.TrySet(name, value, out error);

    public IReadOnlyList<KeyValuePair<string, long>> Statistics
    {
        get
        {
            var list = new List<KeyValuePair<string, long>>
            {
                new("inserted", _inserted),
                new("inserted_at_head", _insertedAtHead),
                new("requeued", _requeued),
                new("dispatched_reads", _dispatchedReads),
                new("dispatched_writes", _dispatchedWrites),
                new("dispatched_discards", _dispatchedDiscards),
                new("dispatched_flushes", _dispatchedFlushes),
                new("completed", _completed),
                new("barriers", _barriers),
                new("staged_behind_barrier", _stagedBehindBarrier),
                new("bio_merges", _bioMerges),
                new("merges_vetoed", _mergesVetoed),
                new("requests_merged", _requestsMerged),
            };
            CollectStatistics(list);
            return list;
        }
    }

    /// <summary>A flush, or a write that must follow a cache flush: ordered against earlier writes.</summary>
    public static bool IsBarrier(Request request) =>
        request.Op == BioOp.Flush || (request.Flags & BioFlags.Preflush) != 0;

    /// <summary>Requests that change the medium and so are ordered by barriers.</summary>
    public static bool IsWriteLike(Request request) => request.Op is BioOp.Write or BioOp.Discard;

    // ---- what a scheduling algorithm supplies ----

    /// <summary>Called once <see cref="Queue"/> is available.</summary>
    protected virtual void OnAttached()
    {
    }

    /// <summary>Takes ownership of a request.</summary>
    protected abstract void Add(Request request);

    /// <summary>The next request to issue, removed from the algorithm; null when nothing should go now.</summary>
    protected abstract Request? Next();

    /// <summary>Whether the algorithm holds requests.</summary>
    protected abstract bool AlgorithmHasPending { get; }

    /// <summary>
    /// <paramref name="next"/> was merged into another request and leaves; <paramref name="survivor"/> is that
    /// request when the algorithm holds it too (it may inherit <paramref name="next"/>'s place or deadline).
    /// </summary>
    protected abstract void RemoveMerged(Request next, Request? survivor);

    /// <summary>May the bio be merged into a request the algorithm holds? Default: yes.</summary>
    protected virtual bool MayMerge(Request request, Bio bio, MergeKind kind) => true;

    /// <summary>A bio was merged into a held request; after a front merge its start sector changed.</summary>
    protected virtual void OnMerged(Request request, MergeKind kind)
    {
    }

    /// <summary>A request the algorithm dispatched has completed.</summary>
    protected virtual void OnCompleted(Request request)
    {
    }

    /// <summary>A dispatched request came back without a completion; release what it was charged.</summary>
    protected virtual void OnRequeued(Request request)
    {
    }

    /// <summary>Appends the algorithm's counters.</summary>
    protected virtual void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
    }

    private bool IsHeldByBase(Request request) =>
        ReferenceEquals(request.ElevatorData, _dispatchList) || ReferenceEquals(request.ElevatorData, _staged)
        || ReferenceEquals(request.ElevatorData, this);

    private void Stage(Request request)
    {
        _stagedBehindBarrier++;
        _staged.AddLast(request);
        request.ElevatorData = _staged;
    }

    /// <summary>The barrier went out: what waited behind it enters the algorithm, up to the next barrier.</summary>
    private void ReleaseStaged()
    {
        while (_staged.RemoveFirst() is { } staged)
        {
            if (IsBarrier(staged))
            {
                _barrier = staged;
                staged.ElevatorData = this;
                return;
            }
            AddToAlgorithm(staged);
        }
    }

    private void AddToAlgorithm(Request request)
    {
        request.ElevatorData = null;
        if (IsWriteLike(request))
            _heldWrites++;
        Add(request);
    }

    private void CountDispatch(Request request)
    {
        switch (request.Op)
        {
            case BioOp.Read:
                _dispatchedReads++;
                break;
            case BioOp.Write:
                _dispatchedWrites++;
                break;
            case BioOp.Discard:
                _dispatchedDiscards++;
                break;
            default:
                _dispatchedFlushes++;
                break;
        }
    }
}
