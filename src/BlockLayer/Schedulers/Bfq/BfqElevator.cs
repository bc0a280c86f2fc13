using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Linux's BFQ (block/bfq-iosched.c), flat (no cgroups) and single-class (best effort). Each process's sync I/O
/// has its own queue, all async writes share one. A queue is served alone for a slot: up to its budget in sectors
/// or timeout_sync, whichever ends first; B-WF2Q+ picks the next queue by virtual finish time, so throughput is
/// shared in proportion to weight. An empty sync queue may keep the device idle for slice_idle waiting for its
/// next request, which is what lets a sequential reader keep its slot against others. Budgets adapt to how queues
/// use them; seeky and slow queues are charged for the time they hold the device. With low_latency, queues of
/// interactive and soft real-time processes are weight-raised. docs/schedulers.md lists what is modelled.
/// </summary>
public sealed class BfqElevator : ElevatorBase
{
    public const string ElevatorName = "bfq";
    public const int MinWeight = 1;
    public const int MaxWeight = 1000;
    public const int DefaultWeight = 100;

    /// <summary>Largest budget before autotuning has enough samples (bfq_default_max_budget).</summary>
    public const int DefaultMaxBudget = 16 * 1024;

    private const long MaxMilliseconds = int.MaxValue * SimTime.Millisecond;
    private const int AsyncChargeFactor = 3;
    private const int StatsMinBudgets = 194;
    private const int WeightRaiseCoefficient = 30;
    private const int SoftRealTimeWeightFactor = 100;
    private const long WeightRaiseRealTimeMaxTime = 300 * SimTime.Millisecond;
    private const long WeightRaiseMinIdleTime = 2 * SimTime.Second;
    private const long WeightRaiseMinInterArrivalAsync = 500 * SimTime.Millisecond;
    private const long MaxSoftRealTimeRate = 7000; // sectors per second
    private const long MaxServiceFromWeightRaise = 120_000; // sectors
    private const long MinThinkTime = 2 * SimTime.Millisecond;
    private const long WeightRaisedMinIdle = 20 * SimTime.Millisecond;
    private const long SoftRealTimeSlack = 4 * SimTime.Millisecond; // Linux adds 4 jiffies
    private const int HardwareQueueThreshold = 3;
    private static readonly long[] ReferenceWeightRaiseDuration = [7 * SimTime.Second, 2500 * SimTime.Millisecond];

    private readonly Dictionary<int, BfqQueue> _syncQueues = [];
    private readonly Dictionary<int, int> _userWeights = [];
    private readonly BfqServiceTree _tree = new();
    private BfqQueue? _asyncQueue;
    private BfqPeakRate? _rate;
    private BfqQueue? _inService;
    private int _nextQueueId;
    private int _held;
    private long _lastPosition;
    private long _budgetsAssigned;
    private long _maxBudget = DefaultMaxBudget;
    private long _userMaxBudget;

    private long _sliceIdle;
    private long _timeoutSync;
    private long _backSeekMaxKiB;
    private long _backSeekPenalty;
    private long _fifoExpireSync;
    private long _fifoExpireAsync;
    private bool _lowLatency;

    private long _slices;
    private long _idleWindows;
    private long _idleHits;
    private long _fifoExpired;
    private long _timeCharged;
    private long _preemptions;
    private readonly long[] _expirations = new long[5];
    private long _interactiveRaises;
    private long _softRealTimeRaises;
    private long _asyncRaises;
    private long _raiseEnds;

    public BfqElevator()
        : this(new BfqOptions())
    {
    }

    public BfqElevator(BfqOptions options)
        : base(ElevatorName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = new BfqOptions();
        Settings.Add(new DurationTunable("slice_idle", "ms", d.SliceIdle, 0, MaxMilliseconds,
            "how long an empty sync queue may keep the device idle waiting for its next request",
            () => _sliceIdle, v => _sliceIdle = v)).Set(options.SliceIdle);
        Settings.Add(new DurationTunable("slice_idle_us", "us", d.SliceIdle, 0, int.MaxValue * SimTime.Microsecond,
            "slice_idle in microseconds", () => _sliceIdle, v => _sliceIdle = v));
        Settings.Add(new DurationTunable("timeout_sync", "ms", d.TimeoutSync, SimTime.Millisecond, MaxMilliseconds,
            "longest service slot of a queue",
            () => _timeoutSync, SetTimeoutSync)).Set(options.TimeoutSync);
        // Like sysfs: the default is 0 (autotune) and reading shows the cap in force.
        var maxBudget = Settings.Add(new IntegerTunable("max_budget", "sectors", 0, 0, int.MaxValue,
            "largest budget of a queue; 0 autotunes it to what the device moves in timeout_sync at its peak rate",
            () => _maxBudget, SetMaxBudget));
        if (options.MaxBudget != 0)
            maxBudget.Set(options.MaxBudget);
        Settings.Add(new IntegerTunable("back_seek_max", "KiB", d.BackSeekMaxKiB, 0, int.MaxValue,
            "farthest backward seek taken instead of wrapping round",
            () => _backSeekMaxKiB, v => _backSeekMaxKiB = v)).Set(options.BackSeekMaxKiB);
        Settings.Add(new IntegerTunable("back_seek_penalty", "", d.BackSeekPenalty, 1, int.MaxValue,
            "cost multiplier of a backward seek",
            () => _backSeekPenalty, v => _backSeekPenalty = v)).Set(options.BackSeekPenalty);
        Settings.Add(new DurationTunable("fifo_expire_sync", "ms", d.FifoExpireSync, SimTime.Millisecond, MaxMilliseconds,
            "age after which a sync request goes ahead of sector order",
            () => _fifoExpireSync, v => _fifoExpireSync = v)).Set(options.FifoExpireSync);
        Settings.Add(new DurationTunable("fifo_expire_async", "ms", d.FifoExpireAsync, SimTime.Millisecond, MaxMilliseconds,
            "age after which an async request goes ahead of sector order",
            () => _fifoExpireAsync, v => _fifoExpireAsync = v)).Set(options.FifoExpireAsync);
        Settings.Add(new IntegerTunable("low_latency", "", 1, 0, 1,
            "1 raises the weight of interactive and soft real-time queues",
            () => _lowLatency ? 1 : 0, SetLowLatency)).Set(options.LowLatency ? 1 : 0);
    }

    /// <summary>Budget cap now in force (tunable max_budget).</summary>
    public long MaxBudget => _maxBudget;

    /// <summary>Peak-rate estimate in sectors per second.</summary>
    public long PeakRateSectorsPerSecond => Rate.SectorsPerSecond;

    /// <summary>The process whose queue is being served; -1 for the async queue, null when none.</summary>
    public int? InServiceProcessId => _inService?.ProcessId;

    /// <summary>Sets the weight of <paramref name="processId"/>'s sync queue (1..1000; default 100).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weight is outside 1..1000.</exception>
    public void SetWeight(int processId, int weight)
    {
        if (!TrySetWeight(processId, weight, out string error))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, error);
    }

    /// <summary>
    /// Sets a process's weight, taking effect at its queue's next (re)activation. A weight set here marks the
    /// queue as under explicit control, which keeps it out of weight raising (Linux raises only default weights).
    /// </summary>
    public bool TrySetWeight(int processId, int weight, out string error)
    {
        if (weight < MinWeight || weight > MaxWeight)
        {
            error = $"{Name}: weight {weight} for process {processId} is out of range (valid {MinWeight}..{MaxWeight})";
            return false;
        }
        _userWeights[processId] = weight;
        if (_syncQueues.TryGetValue(processId, out BfqQueue? queue))
        {
            queue.OriginalWeight = weight;
            queue.WeightUserSet = true;
            if (queue.IsWeightRaised)
                EndWeightRaising(queue, IsAttached ? Queue.Now : 0);
        }
        error = "";
        return true;
    }

    /// <summary>The weight configured for a process (its queue's weight without raising).</summary>
    public int WeightOf(int processId) => _userWeights.TryGetValue(processId, out int weight) ? weight : DefaultWeight;

    /// <summary>Whether a process's sync queue is weight-raised now.</summary>
    public bool IsWeightRaised(int processId) =>
        _syncQueues.TryGetValue(processId, out BfqQueue? queue) && queue.IsWeightRaised;

    private BfqPeakRate Rate => _rate ?? throw new InvalidOperationException($"{Name}: used before Attach");

    protected override void OnAttached()
    {
        _rate = new BfqPeakRate(Queue.Rotational);
        _asyncQueue = new BfqQueue(_nextQueueId++, -1, sync: false, DefaultWeight, weightUserSet: false,
            MaxBudgetForNewQueue());
        _asyncQueue.LastEndRequest = Queue.Now;
    }

    protected override bool AlgorithmHasPending => _held > 0;

    protected override void Add(Request request)
    {
        long now = Queue.Now;
        BfqQueue queue = QueueFor(request.ProcessId, request.IsSync);
        request.ElevatorData = queue;
        request.ElevatorDeadline = now + (queue.Sync ? _fifoExpireSync : _fifoExpireAsync);
        UpdateThinkTime(queue, now);
        queue.SeekHistory = (queue.SeekHistory << 1) | (Rate.IsSeek(queue.LastRequestPosition, request) ? 1u : 0u);
        queue.LastRequestPosition = request.EndSector;
        queue.Sorted.Add(request);
        queue.Fifo.AddLast(request);
        _held++;

        int oldCoefficient = queue.WeightRaiseCoefficient;
        bool interactive = false;
        if (!queue.Busy)
        {
            interactive = OnBecameBusy(queue, request, now);
        }
        else
        {
            if (_lowLatency && oldCoefficient == 1 && !request.IsSync
                && now > queue.WeightRaiseStart + WeightRaiseMinInterArrivalAsync)
            {
                // Linux raises a busy async queue whose requests come rarely (bfq_wr_min_inter_arr_async).
                StartWeightRaising(queue, WeightRaiseCoefficient, WeightRaiseDuration(), now);
                _asyncRaises++;
            }
            if (queue == _inService && queue.WaitingForRequest)
            {
                queue.WaitingForRequest = false;
                _idleHits++;
                Queue.RunAt(now);
            }
        }
        if (_lowLatency && (oldCoefficient == 1 || queue.WeightRaiseCoefficient == 1 || interactive))
            queue.WeightRaiseStart = now;
    }

    protected override Request? Next()
    {
        long now = Queue.Now;
        int attempts = 2 * _tree.BusyCount + 4;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            BfqQueue? queue = _inService ?? SetInService(now);
            if (queue is null)
                return null;

            if (queue.WaitingForRequest && queue.Fifo.IsEmpty && now >= queue.IdleDeadline)
            {
                Expire(queue, now >= queue.BudgetTimeout ? BfqExpiration.BudgetTimeout : BfqExpiration.TooIdle, now);
                continue;
            }
            if (MayExpireForBudgetTimeout(queue, now) && !(queue.Fifo.IsEmpty && BetterToIdle(queue)))
            {
                Expire(queue, BfqExpiration.BudgetTimeout, now);
                continue;
            }
            if (!queue.Fifo.IsEmpty)
            {
                Request request = CheckFifo(queue, now) ?? PeekNext(queue);
                long charge = ServiceToCharge(request, queue);
                if (queue.Service == 0 && charge > queue.Budget)
                    queue.Budget = charge; // a fresh slot always fits its first request
                if (charge > queue.BudgetLeft)
                {
                    Expire(queue, BfqExpiration.BudgetExhausted, now);
                    continue;
                }
                queue.WaitingForRequest = false;
                return DispatchFrom(queue, request, charge, now);
            }
            if (queue.WaitingForRequest || (queue.Dispatched > 0 && BetterToIdle(queue)))
                return null; // idling: the idle deadline or a completion brings the next decision
            Expire(queue, BfqExpiration.NoMoreRequests, now);
        }
        throw new InvalidOperationException($"{Name}: no dispatch decision after {attempts} expirations");
    }

    protected override void RemoveMerged(Request next, Request? survivor)
    {
        var queue = (BfqQueue)next.ElevatorData!;
        if (survivor is not null && ReferenceEquals(survivor.ElevatorData, queue)
            && next.ElevatorDeadline < survivor.ElevatorDeadline)
        {
            queue.Fifo.Remove(survivor);
            queue.Fifo.InsertAfter(next, survivor);
            survivor.ElevatorDeadline = next.ElevatorDeadline;
        }
        queue.Sorted.Remove(next);
        queue.Fifo.Remove(next);
        _held--;
        if (queue.Fifo.IsEmpty && queue.Busy && queue != _inService)
            _tree.Deactivate(queue);
    }

    protected override bool MayMerge(Request request, Bio bio, MergeKind kind)
    {
        // Only a bio that would have gone to the same queue (bfq_allow_bio_merge).
        var queue = (BfqQueue)request.ElevatorData!;
        bool bioSync = bio.Op == BioOp.Read || (bio.Flags & (BioFlags.Sync | BioFlags.Fua | BioFlags.Preflush)) != 0;
        return bioSync == queue.Sync && (!queue.Sync || bio.ProcessId == queue.ProcessId);
    }

    protected override void OnMerged(Request request, MergeKind kind)
    {
        if (kind != MergeKind.Front)
            return;
        var queue = (BfqQueue)request.ElevatorData!;
        queue.Sorted.Remove(request);
        queue.Sorted.Add(request);
    }

    protected override void OnCompleted(Request request)
    {
        if (request.ElevatorData is not BfqQueue queue)
            return;
        request.ElevatorData = null;
        long now = Queue.Now;
        queue.Dispatched--;
        queue.LastEndRequest = now;
        Rate.OnCompletion(now);
        if (queue.SoftRealTimeUpdatePending && queue.Dispatched == 0 && queue.Fifo.IsEmpty)
        {
            queue.SoftRealTimeNextStart = SoftRealTimeNextStart(queue, now);
            queue.SoftRealTimeUpdatePending = false;
        }
        if (queue != _inService)
            return;
        if (queue.Fifo.IsEmpty && BetterToIdle(queue))
        {
            if (queue.Dispatched == 0)
                ArmIdle(queue, now);
        }
        else if (MayExpireForBudgetTimeout(queue, now))
        {
            Expire(queue, BfqExpiration.BudgetTimeout, now);
            Queue.RunAt(now);
        }
        else if (queue.Fifo.IsEmpty)
        {
            Expire(queue, BfqExpiration.NoMoreRequests, now);
            Queue.RunAt(now);
        }
    }

    protected override void OnRequeued(Request request)
    {
        if (request.ElevatorData is BfqQueue queue)
            queue.Dispatched--;
    }

    protected override void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
        statistics.Add(new("queues", _syncQueues.Count + 1));
        statistics.Add(new("busy_queues", _tree.BusyCount));
        statistics.Add(new("slices", _slices));
        statistics.Add(new("idle_windows", _idleWindows));
        statistics.Add(new("idle_hits", _idleHits));
        statistics.Add(new("expired_too_idle", _expirations[(int)BfqExpiration.TooIdle]));
        statistics.Add(new("expired_budget_timeout", _expirations[(int)BfqExpiration.BudgetTimeout]));
        statistics.Add(new("budget_exhaustions", _expirations[(int)BfqExpiration.BudgetExhausted]));
        statistics.Add(new("expired_no_more_requests", _expirations[(int)BfqExpiration.NoMoreRequests]));
        statistics.Add(new("preemptions", _preemptions));
        statistics.Add(new("fifo_expired", _fifoExpired));
        statistics.Add(new("time_charged_slots", _timeCharged));
        statistics.Add(new("weight_raises_interactive", _interactiveRaises));
        statistics.Add(new("weight_raises_soft_rt", _softRealTimeRaises));
        statistics.Add(new("weight_raises_async", _asyncRaises));
        statistics.Add(new("weight_raise_ends", _raiseEnds));
        statistics.Add(new("max_budget", _maxBudget));
        statistics.Add(new("peak_rate_sectors_per_sec", _rate?.SectorsPerSecond ?? 0));
        statistics.Add(new("peak_rate_updates", _rate?.Updates ?? 0));
    }

    // ---- queues ----

    private BfqQueue QueueFor(int processId, bool sync)
    {
        if (!sync)
            return _asyncQueue!;
        if (!_syncQueues.TryGetValue(processId, out BfqQueue? queue))
        {
            bool userSet = _userWeights.TryGetValue(processId, out int weight);
            queue = new BfqQueue(_nextQueueId++, processId, sync: true, userSet ? weight : DefaultWeight, userSet,
                MaxBudgetForNewQueue());
            queue.LastEndRequest = Queue.Now;
            _syncQueues.Add(processId, queue);
        }
        return queue;
    }

    /// <summary>bfq_max_budget(): the default until enough budgets were assigned for the estimate to count.</summary>
    private long CurrentMaxBudget() => _budgetsAssigned < StatsMinBudgets ? DefaultMaxBudget : _maxBudget;

    private long MinBudget() => CurrentMaxBudget() / 32;

    private long MaxBudgetForNewQueue() => 2 * CurrentMaxBudget() / 3;

    private static long ServiceToCharge(Request request, BfqQueue queue) =>
        queue.Sync || queue.IsWeightRaised ? request.SectorCount : (long)request.SectorCount * AsyncChargeFactor;

    // ---- request choice within a queue ----

    /// <summary>Once per slot, the oldest request if it has expired (bfq_check_fifo).</summary>
    private Request? CheckFifo(BfqQueue queue, long now)
    {
        if (queue.FifoChecked)
            return null;
        queue.FifoChecked = true;
        Request oldest = queue.Fifo.First!;
        if (oldest.ElevatorDeadline > now)
            return null;
        _fifoExpired++;
        return oldest;
    }

    /// <summary>The queue's next request from the last dispatch position (bfq_find_next_rq).</summary>
    private Request PeekNext(BfqQueue queue)
    {
        Request? ahead = queue.Sorted.Ceiling(_lastPosition);
        Request? behind = queue.Sorted.Lower(_lastPosition);
        if (ahead is null)
        {
            Request first = queue.Sorted.First!;
            ahead = ReferenceEquals(first, behind) ? null : first;
        }
        return ChooseRequest(ahead, behind, _lastPosition)!;
    }

    /// <summary>
    /// bfq_choose_req: sync before async, metadata before data, then the nearer to the head - forward seeks at
    /// face value, backward ones within back_seek_max at back_seek_penalty times; beyond that a request "wraps".
    /// </summary>
    private Request? ChooseRequest(Request? first, Request? second, long last)
    {
        if (first is null || ReferenceEquals(first, second))
            return second;
        if (second is null)
            return first;
        if (first.IsSync != second.IsSync)
            return first.IsSync ? first : second;
        bool firstMeta = (first.Flags & BioFlags.Meta) != 0;
        bool secondMeta = (second.Flags & BioFlags.Meta) != 0;
        if (firstMeta != secondMeta)
            return firstMeta ? first : second;

        long backMax = _backSeekMaxKiB * 2;
        long s1 = first.Sector, s2 = second.Sector;
        long d1 = 0, d2 = 0;
        bool wrap1 = false, wrap2 = false;
        if (s1 >= last)
            d1 = s1 - last;
        else if (s1 + backMax >= last)
            d1 = (last - s1) * _backSeekPenalty;
        else
            wrap1 = true;
        if (s2 >= last)
            d2 = s2 - last;
        else if (s2 + backMax >= last)
            d2 = (last - s2) * _backSeekPenalty;
        else
            wrap2 = true;

        if (!wrap1 && !wrap2)
        {
            if (d1 != d2)
                return d1 < d2 ? first : second;
            return s1 >= s2 ? first : second;
        }
        if (wrap1 != wrap2)
            return wrap1 ? second : first;
        return s1 <= s2 ? first : second; // both behind: one long seek back to the farther one
    }

    // ---- service slots ----

    private BfqQueue? SetInService(long now)
    {
        BfqQueue? queue = _tree.SelectNext();
        if (queue is null)
            return null;
        _inService = queue;
        queue.FifoChecked = false;
        queue.WaitingForRequest = false;
        queue.SlotStart = now;
        // Interactive raising stretches the slot with the weight; soft real-time does not.
        long coefficient = queue.IsWeightRaised && queue.WeightRaiseDuration != WeightRaiseRealTimeMaxTime
            ? queue.WeightRaiseCoefficient : 1;
        queue.BudgetTimeout = now + _timeoutSync * coefficient;
        _budgetsAssigned = (_budgetsAssigned * 7 + 256) / 8;
        _slices++;
        return queue;
    }

    private Request DispatchFrom(BfqQueue queue, Request request, long charge, long now)
    {
        queue.Sorted.Remove(request);
        queue.Fifo.Remove(request);
        _held--;
        queue.Dispatched++;
        _tree.Served(queue, charge);
        queue.ServiceFromBacklogged += charge;
        if (queue.IsWeightRaised)
            queue.ServiceFromWeightRaise += charge;
        if (Rate.OnDispatch(request, now, Queue.InFlight, _lastPosition) && _userMaxBudget == 0)
            _maxBudget = CalculateMaxBudget();
        _lastPosition = request.EndSector;
        EndWeightRaisingIfDue(queue, now);
        return request; // ElevatorData still names the queue: the request is charged to it until it completes
    }

    private bool MayExpireForBudgetTimeout(BfqQueue queue, long now) =>
        now >= queue.BudgetTimeout && (!queue.WaitingForRequest || queue.BudgetLeft >= queue.Budget / 3);

    private void Expire(BfqQueue queue, BfqExpiration reason, long now)
    {
        _expirations[(int)reason]++;
        long slot = (reason == BfqExpiration.TooIdle ? queue.IdleStart : now) - queue.SlotStart;
        bool slow = IsSlow(queue, ref slot);
        if (!queue.IsWeightRaised
            && (slow || (reason == BfqExpiration.BudgetTimeout && queue.BudgetLeft >= queue.Budget / 3)))
        {
            ChargeTime(queue, slot);
        }
        if (reason == BfqExpiration.TooIdle && queue.Service <= 2 * queue.Budget / 10)
            queue.IoBound = false;
        else if (reason is BfqExpiration.BudgetExhausted or BfqExpiration.BudgetTimeout)
            queue.IoBound = true;
        if (_lowLatency && !queue.IsWeightRaised)
            queue.WeightRaiseStart = now;
        if (_lowLatency && queue.Fifo.IsEmpty)
        {
            if (queue.Dispatched == 0)
                queue.SoftRealTimeNextStart = SoftRealTimeNextStart(queue, now);
            else
                queue.SoftRealTimeUpdatePending = true;
        }
        EndWeightRaisingIfDue(queue, now);
        RecalculateBudget(queue, reason);

        _inService = null;
        queue.WaitingForRequest = false;
        // A preempted queue that idling would protect keeps its place even when empty (__bfq_bfqq_expire).
        if (queue.Fifo.IsEmpty && !(reason == BfqExpiration.Preempted && IdlingNeededForGuarantees(queue)))
        {
            if (queue.Dispatched == 0)
                queue.BudgetTimeout = now; // idle from now: the start of "idle for long" for weight raising
            _tree.Deactivate(queue);
        }
        else
        {
            _tree.Requeue(queue);
        }
    }

    /// <summary>bfq_bfqq_is_slow: seeky, or served less than half a max budget in a slot longer than 20 ms.</summary>
    private bool IsSlow(BfqQueue queue, ref long slot)
    {
        if (!queue.Sync)
            return false;
        bool slow = queue.Seeky;
        if (slot < SimTime.Millisecond)
        {
            // Too short to measure: charge a nominal time instead.
            slot = Queue.Rotational ? _sliceIdle : MinThinkTime;
            return slow;
        }
        if (slot > 20 * SimTime.Millisecond)
            slow = queue.Service < _maxBudget / 2;
        return slow;
    }

    /// <summary>bfq_bfqq_charge_time: charge the service a max budget would give in the time the slot took.</summary>
    private void ChargeTime(BfqQueue queue, long slot)
    {
        long bounded = Math.Min(slot, _timeoutSync);
        long forTime = _maxBudget * bounded / _timeoutSync;
        long total = Math.Max(forTime, queue.Service);
        if (total > queue.Budget)
            queue.Budget = total;
        if (total > queue.Service)
            _tree.Served(queue, total - queue.Service);
        _timeCharged++;
    }

    /// <summary>__bfq_bfqq_recalc_budget: the feedback that sizes a queue's next budget from how it used this one.</summary>
    private void RecalculateBudget(BfqQueue queue, BfqExpiration reason)
    {
        long minBudget = MinBudget();
        long budget = queue.IsWeightRaised ? 2 * minBudget : queue.MaxBudget;
        if (queue.Sync && !queue.IsWeightRaised)
        {
            switch (reason)
            {
                case BfqExpiration.TooIdle:
                    if (queue.Dispatched > 0)
                        budget = Math.Min(budget * 2, _maxBudget);
                    else
                        budget = budget > 5 * minBudget ? budget - 4 * minBudget : minBudget;
                    break;
                case BfqExpiration.BudgetTimeout:
                    budget = Math.Min(budget * 2, _maxBudget);
                    break;
                case BfqExpiration.BudgetExhausted:
                    budget = Math.Min(budget * 4, _maxBudget);
                    break;
                case BfqExpiration.NoMoreRequests:
                    budget = Math.Max(queue.Service, minBudget);
                    break;
                default:
                    return; // preempted: keep the budget
            }
        }
        else if (!queue.Sync)
        {
            budget = _maxBudget;
        }
        queue.MaxBudget = budget;
        if (_budgetsAssigned >= StatsMinBudgets && _userMaxBudget == 0)
            queue.MaxBudget = Math.Min(queue.MaxBudget, _maxBudget);
        if (!queue.Fifo.IsEmpty)
            queue.Budget = Math.Max(queue.MaxBudget, ServiceToCharge(PeekNext(queue), queue));
    }

    // ---- idling ----

    private void ArmIdle(BfqQueue queue, long now)
    {
        long idle = _sliceIdle;
        if (queue.Seeky && !queue.IsWeightRaised && !Asymmetric(queue))
            idle = Math.Min(idle, MinThinkTime);
        else if (queue.IsWeightRaised)
            idle = Math.Max(idle, WeightRaisedMinIdle);
        queue.WaitingForRequest = true;
        queue.IdleStart = now;
        queue.IdleDeadline = now + idle;
        _idleWindows++;
        Queue.RunAt(queue.IdleDeadline);
    }

    /// <summary>
    /// bfq_better_to_idle: idle for an empty sync queue when that boosts throughput (a sequential, I/O-bound queue
    /// with short think time on a rotational or non-queueing device, with no raised queue around) or is needed for
    /// guarantees (a raised queue, unequal weights, or no other busy queue).
    /// </summary>
    private bool BetterToIdle(BfqQueue queue)
    {
        if (_sliceIdle == 0 || !queue.Sync)
            return false;
        if (IdlingNeededForGuarantees(queue))
            return true;
        bool hardwareQueueing = Queue.QueueDepth > HardwareQueueThreshold;
        bool sequentialIoBound = !queue.Seeky && queue.IoBound && HasShortThinkTime(queue);
        bool boostsThroughput = (Queue.Rotational && !hardwareQueueing)
            || ((Queue.Rotational || !hardwareQueueing) && sequentialIoBound);
        // Not while raised queues are busy: then they should get the device, not a non-raised queue's idling.
        return boostsThroughput && RaisedBusyQueues() == 0;
    }

    /// <summary>idling_needed_for_service_guarantees: a raised queue among others, unequal weights, or alone.</summary>
    private bool IdlingNeededForGuarantees(BfqQueue queue)
    {
        int busy = _tree.BusyCount;
        return (queue.IsWeightRaised && (RaisedBusyQueues() < busy || Queue.InFlight >= queue.Dispatched + 4))
            || Asymmetric(queue) || busy == 1;
    }

    private int RaisedBusyQueues()
    {
        int raised = 0;
        for (int i = 0; i < _tree.BusyCount; i++)
        {
            if (_tree.BusyAt(i).IsWeightRaised)
                raised++;
        }
        return raised;
    }

    /// <summary>
    /// bfq_asymmetric_scenario (one class, no groups): weights differ among the busy queues and this one is not
    /// among the lightest, so without idling it would lose the share its weight promises.
    /// </summary>
    private bool Asymmetric(BfqQueue queue)
    {
        // Weights vary and this queue is not the lightest exactly when some busy queue is lighter.
        for (int i = 0; i < _tree.BusyCount; i++)
        {
            if (_tree.BusyAt(i).Weight < queue.Weight)
                return true;
        }
        return false;
    }

    private bool HasShortThinkTime(BfqQueue queue) => !(queue.ThinkSamples > 80 && queue.ThinkMean > _sliceIdle);

    /// <summary>bfq_update_io_thinktime: how long the process takes to come back once it has nothing queued.</summary>
    private void UpdateThinkTime(BfqQueue queue, long now)
    {
        if (queue.Dispatched > 0 || queue.Busy)
            return;
        long elapsed = Math.Min(now - queue.LastEndRequest, 2 * _sliceIdle);
        queue.ThinkSamples = (7 * queue.ThinkSamples + 256) / 8;
        queue.ThinkTotal = (7 * queue.ThinkTotal + 256 * elapsed) / 8;
        queue.ThinkMean = (queue.ThinkTotal + 128) / queue.ThinkSamples;
    }

    // ---- activation, weight raising ----

    /// <summary>bfq_bfqq_handle_idle_busy_switch: budget, weight raising, activation and possible preemption.</summary>
    private bool OnBecameBusy(BfqQueue queue, Request request, long now)
    {
        bool defaultWeight = !queue.WeightUserSet;
        bool idleForLong = queue.Dispatched == 0 && now > queue.BudgetTimeout + WeightRaiseMinIdleTime;
        bool softRealTime = !queue.TotallySeeky && now > queue.SoftRealTimeNextStart && queue.Dispatched == 0
            && defaultWeight;
        bool interactive = idleForLong && defaultWeight;
        bool deserves = _lowLatency && (queue.IsWeightRaised || (queue.Sync && (interactive || softRealTime)));

        queue.Service = 0;
        queue.Budget = Math.Max(queue.MaxBudget, ServiceToCharge(request, queue));
        if (_lowLatency)
            UpdateWeightRaisingOnArrival(queue, deserves, interactive, softRealTime, now);
        queue.LastIdleBacklogged = now;
        queue.ServiceFromBacklogged = 0;
        _tree.Activate(queue);

        if (_inService is { } current && current != queue
            && (queue.Weight > current.Weight || (current.Fifo.IsEmpty && !BetterToIdle(current)))
            && _tree.WouldPrecede(queue, current))
        {
            _preemptions++;
            Expire(current, BfqExpiration.Preempted, now);
            Queue.RunAt(now);
        }
        return interactive;
    }

    private void UpdateWeightRaisingOnArrival(BfqQueue queue, bool deserves, bool interactive, bool softRealTime, long now)
    {
        if (!queue.IsWeightRaised && deserves)
        {
            if (interactive)
            {
                StartWeightRaising(queue, WeightRaiseCoefficient, WeightRaiseDuration(), now);
                _interactiveRaises++;
            }
            else
            {
                StartWeightRaising(queue, WeightRaiseCoefficient * SoftRealTimeWeightFactor, WeightRaiseRealTimeMaxTime, now);
                _softRealTimeRaises++;
            }
            // Keep the budget near the backlog: latency matters more than throughput here.
            queue.Budget = Math.Min(queue.Budget, 2 * MinBudget());
        }
        else if (queue.IsWeightRaised)
        {
            if (interactive)
            {
                StartWeightRaising(queue, WeightRaiseCoefficient, WeightRaiseDuration(), now);
            }
            else if (softRealTime && queue.WeightRaiseDuration != WeightRaiseRealTimeMaxTime)
            {
                StartWeightRaising(queue, WeightRaiseCoefficient * SoftRealTimeWeightFactor, WeightRaiseRealTimeMaxTime, now);
                _softRealTimeRaises++;
            }
            else if (softRealTime)
            {
                queue.WeightRaiseStart = now; // still paced like soft real-time: renew
            }
        }
    }

    private static void StartWeightRaising(BfqQueue queue, int coefficient, long duration, long now)
    {
        queue.WeightRaiseCoefficient = coefficient;
        queue.WeightRaiseDuration = duration;
        queue.WeightRaiseStart = now;
        queue.ServiceFromWeightRaise = 0;
    }

    /// <summary>bfq_update_wr_data: raising ends when its time is up, or an interactive queue got its fill.</summary>
    private void EndWeightRaisingIfDue(BfqQueue queue, long now)
    {
        if (!queue.IsWeightRaised)
            return;
        bool interactive = queue.WeightRaiseDuration != WeightRaiseRealTimeMaxTime;
        if ((interactive && queue.ServiceFromWeightRaise > MaxServiceFromWeightRaise)
            || now > queue.WeightRaiseStart + queue.WeightRaiseDuration)
        {
            EndWeightRaising(queue, now);
        }
    }

    private void EndWeightRaising(BfqQueue queue, long now)
    {
        queue.WeightRaiseCoefficient = 1;
        queue.WeightRaiseStart = now;
        _raiseEnds++;
    }

    /// <summary>bfq_wr_duration: longer on slower devices, scaled from a reference device, 3 to 25 s.</summary>
    private long WeightRaiseDuration()
    {
        int kind = Queue.Rotational ? 0 : 1;
        long duration = BfqPeakRate.ReferenceRates[kind] * ReferenceWeightRaiseDuration[kind] / Math.Max(1, Rate.PeakRate);
        return Math.Clamp(duration, 3 * SimTime.Second, 25 * SimTime.Second);
    }

    /// <summary>bfq_bfqq_softrt_next_start: the earliest arrival that keeps the queue under 7000 sectors/s.</summary>
    private long SoftRealTimeNextStart(BfqQueue queue, long now)
    {
        long paced = queue.LastIdleBacklogged + queue.ServiceFromBacklogged * SimTime.Second / MaxSoftRealTimeRate;
        return Math.Max(queue.SoftRealTimeNextStart, Math.Max(paced, now + _sliceIdle + SoftRealTimeSlack));
    }

    // ---- tunables with side effects ----

    private long CalculateMaxBudget() =>
        Math.Max(1, Rate.PeakRate * (_timeoutSync / SimTime.Microsecond) >> BfqPeakRate.RateShift);

    private void SetTimeoutSync(long value)
    {
        _timeoutSync = value;
        if (_userMaxBudget == 0 && _rate is not null && _rate.Updates > 0)
            _maxBudget = CalculateMaxBudget();
    }

    private void SetMaxBudget(long value)
    {
        _userMaxBudget = value;
        _maxBudget = value != 0 ? value : _rate is null ? DefaultMaxBudget : CalculateMaxBudget();
    }

    private void SetLowLatency(long value)
    {
        bool enable = value != 0;
        if (_lowLatency && !enable)
        {
            // Linux ends every raising period when low_latency is switched off (bfq_end_wr).
            long now = IsAttached ? Queue.Now : 0;
            foreach (BfqQueue queue in _syncQueues.Values)
            {
                if (queue.IsWeightRaised)
                    EndWeightRaising(queue, now);
            }
            if (_asyncQueue is { IsWeightRaised: true })
                EndWeightRaising(_asyncQueue, now);
        }
        _lowLatency = enable;
    }

    /// <summary>
    /// bfq_limit_depth: reads take any request; while no busy queue is weight-raised, synchronous writes may take
    /// 75 % of them and asynchronous ones 50 %; with one, 37.5 % and 18.75 %, so raised queues find requests free.
    /// </summary>
    public override int RequestLimit(BioOp op, BioFlags flags, int nrRequests)
    {
        if (op == BioOp.Read)
            return nrRequests;
        bool sync = Request.IsSyncOp(op, flags);
        int limit = AnyBusyQueueWeightRaised()
            ? (sync ? nrRequests * 6 >> 4 : nrRequests * 3 >> 4)
            : (sync ? nrRequests * 3 >> 2 : nrRequests >> 1);
        return Math.Max(1, limit);
    }

    private bool AnyBusyQueueWeightRaised()
    {
        foreach (BfqQueue queue in _syncQueues.Values)
        {
            if (queue.Busy && queue.IsWeightRaised)
                return true;
        }
        return _asyncQueue is { Busy: true, IsWeightRaised: true };
    }
}
