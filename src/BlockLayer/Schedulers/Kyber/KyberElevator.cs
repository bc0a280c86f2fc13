using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Linux's Kyber (block/kyber-iosched.c). Requests are split into domains by operation; each domain may have only
/// as many requests at the device as it has tokens (initially 256 reads, 128 writes, 64 discards, 16 other - the
/// caps; Linux does not scale them to the device queue depth, whose tags bound the device anyway). Dispatch goes
/// round-robin over the domains in batches (16, 8, 1, 1). Completions feed per-window latency histograms; at most
/// 100 ms after a window's first completion a timer reads them: if any domain's p90 I/O latency misses its target,
/// every domain is throttled to (p99 bucket + 1)/4 of its depth, so domains meeting their targets give up tokens
/// (a writer yields to reads that miss 2 ms), while domains missing their own targets get more.
/// </summary>
public sealed class KyberElevator : ElevatorBase
{
    public const string ElevatorName = "kyber";

    private static readonly int[] s_maxDepths = [256, 128, 64, 16];
    private static readonly int[] s_batchSizes = [16, 8, 1, 1];

    /// <summary>KYBER_ASYNC_PERCENT: asynchronous requests may take this share of the scheduler's requests.</summary>
    private const int AsyncPercent = 75;

    private const int DomainCount = 4;
    private const int MeasuredDomains = 3;
    private const long TimerDelay = 100 * SimTime.Millisecond; // timer_reduce(jiffies + HZ / 10)
    private const long MinWindow = SimTime.Second;

    private readonly RequestList[] _lists = [new(), new(), new(), new()];
    private readonly int[] _depth = (int[])s_maxDepths.Clone();
    private readonly int[] _inFlight = new int[DomainCount];
    private readonly long[] _target = new long[MeasuredDomains];
    private readonly int[] _domainP99 = [-1, -1, -1];
    private readonly object[] _tokens = [new DomainToken(0), new DomainToken(1), new DomainToken(2), new DomainToken(3)];
    private readonly KyberLatencyHistogram _histogram = new();
    private int _currentDomain;
    private int _batching;
    private long _timerDue = -1;
    private bool _throttled;

    private readonly long[] _throttledDispatches = new long[DomainCount];
    private long _depthChanges;
    private long _windows;
    private long _congestedWindows;

    public KyberElevator()
        : this(new KyberOptions())
    {
    }

    public KyberElevator(KyberOptions options)
        : base(ElevatorName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = new KyberOptions();
        Settings.Add(new DurationTunable("read_lat_nsec", "ns", defaults.ReadLatencyTarget, 0, long.MaxValue,
            "target latency of reads",
            () => _target[0], v => _target[0] = v)).Set(options.ReadLatencyTarget);
        Settings.Add(new DurationTunable("write_lat_nsec", "ns", defaults.WriteLatencyTarget, 0, long.MaxValue,
            "target latency of writes",
            () => _target[1], v => _target[1] = v)).Set(options.WriteLatencyTarget);
        Settings.Add(new DurationTunable("discard_lat_nsec", "ns", defaults.DiscardLatencyTarget, 0, long.MaxValue,
            "target latency of discards (hwstack; fixed at 5 s in Linux)",
            () => _target[2], v => _target[2] = v)).Set(options.DiscardLatencyTarget);
    }

    /// <summary>Linux's kyber_depth: the most tokens each domain may have (read, write, discard, other).</summary>
    public static IReadOnlyList<int> MaxDepths { get; } = Array.AsReadOnly(s_maxDepths);

    /// <summary>Linux's kyber_batch_size: requests a domain dispatches in a row.</summary>
    public static IReadOnlyList<int> BatchSizes { get; } = Array.AsReadOnly(s_batchSizes);

    /// <summary>Tokens a domain has now (its allowed requests at the device).</summary>
    public int DepthOf(KyberDomain domain) => _depth[(int)domain];

    /// <summary>Requests of a domain at the device now.</summary>
    public int InFlightOf(KyberDomain domain) => _inFlight[(int)domain];

    public static KyberDomain DomainOf(Request request) => request.Op switch
    {
        BioOp.Read => KyberDomain.Read,
        BioOp.Write => KyberDomain.Write,
        BioOp.Discard => KyberDomain.Discard,
        _ => KyberDomain.Other,
    };

    protected override bool AlgorithmHasPending =>
        !_lists[0].IsEmpty || !_lists[1].IsEmpty || !_lists[2].IsEmpty || !_lists[3].IsEmpty;

    protected override void Add(Request request)
    {
        RunTimerIfDue();
        _lists[(int)DomainOf(request)].AddLast(request);
    }

    protected override Request? Next()
    {
        RunTimerIfDue();
        Request? request = null;
        if (_batching < s_batchSizes[_currentDomain])
            request = DispatchCurrentDomain();
        if (request is null)
        {
            // Out of batch, out of requests or out of tokens: start a batch in the next domain that can go,
            // wrapping round to this one.
            _batching = 0;
            for (int i = 0; i < DomainCount && request is null; i++)
            {
                _currentDomain = _currentDomain == DomainCount - 1 ? 0 : _currentDomain + 1;
                request = DispatchCurrentDomain();
            }
        }
        return request;
    }

    protected override void RemoveMerged(Request next, Request? survivor) => _lists[(int)DomainOf(next)].Remove(next);

    protected override void OnCompleted(Request request)
    {
        if (request.ElevatorData is not DomainToken token)
            return;
        request.ElevatorData = null;
        _inFlight[token.Domain]--;
        long now = Queue.Now;
        if (token.Domain < MeasuredDomains)
        {
            long target = _target[token.Domain];
            _histogram.Add(token.Domain, KyberLatencyHistogram.Total, now - request.StartTime, target);
            _histogram.Add(token.Domain, KyberLatencyHistogram.Io, now - request.IssueTime, target);
            long due = now + TimerDelay;
            if (_timerDue < 0 || due < _timerDue)
            {
                _timerDue = due;
                Queue.RunAt(due);
            }
        }
        RunTimerIfDue();
        if (_throttled)
        {
            // A token came free: let the queue try again, as Linux's token wait queue wakes the hardware queue.
            _throttled = false;
            Queue.RunAt(now);
        }
    }

    protected override void OnRequeued(Request request)
    {
        if (request.ElevatorData is DomainToken token)
            _inFlight[token.Domain]--;
    }

    protected override void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
        statistics.Add(new("read_depth", _depth[0]));
        statistics.Add(new("write_depth", _depth[1]));
        statistics.Add(new("discard_depth", _depth[2]));
        statistics.Add(new("other_depth", _depth[3]));
        statistics.Add(new("read_throttled", _throttledDispatches[0]));
        statistics.Add(new("write_throttled", _throttledDispatches[1]));
        statistics.Add(new("discard_throttled", _throttledDispatches[2]));
        statistics.Add(new("other_throttled", _throttledDispatches[3]));
        statistics.Add(new("depth_changes", _depthChanges));
        statistics.Add(new("windows", _windows));
        statistics.Add(new("congested_windows", _congestedWindows));
    }

    private Request? DispatchCurrentDomain()
    {
        int domain = _currentDomain;
        RequestList list = _lists[domain];
        if (list.IsEmpty)
            return null;
        if (_inFlight[domain] >= _depth[domain])
        {
            _throttledDispatches[domain]++;
            _throttled = true;
            return null;
        }
        _inFlight[domain]++;
        _batching++;
        Request request = list.RemoveFirst()!;
        request.ElevatorData = _tokens[domain];
        return request;
    }

    private void RunTimerIfDue()
    {
        if (_timerDue < 0 || Queue.Now < _timerDue)
            return;
        _timerDue = -1;
        AdjustDepths(Queue.Now);
    }

    /// <summary>Linux's kyber_timer_fn: detect congestion from p90 I/O latency, rescale depths by p99 total latency.</summary>
    private void AdjustDepths(long now)
    {
        _windows++;
        bool congested = false;
        for (int d = 0; d < MeasuredDomains; d++)
        {
            int p90 = _histogram.Percentile(d, KyberLatencyHistogram.Io, 90, now, MinWindow);
            if (p90 >= KyberLatencyHistogram.GoodBuckets)
                congested = true;
        }
        if (congested)
            _congestedWindows++;

        for (int d = 0; d < MeasuredDomains; d++)
        {
            int p99 = _histogram.Percentile(d, KyberLatencyHistogram.Total, 99, now, MinWindow);
            // Domains fill windows at different speeds: remember the last p99 for the next congestion, and use
            // it only once.
            if (congested)
            {
                if (p99 < 0)
                    p99 = _domainP99[d];
                _domainP99[d] = -1;
            }
            else if (p99 >= 0)
            {
                _domainP99[d] = p99;
            }
            if (p99 < 0)
                continue;
            if (congested || p99 >= KyberLatencyHistogram.GoodBuckets)
            {
                int depth = (_depth[d] * (p99 + 1)) >> KyberLatencyHistogram.LatencyShift;
                depth = Math.Clamp(depth, 1, s_maxDepths[d]);
                if (depth != _depth[d])
                {
                    _depth[d] = depth;
                    _depthChanges++;
                }
            }
        }
    }

    /// <summary>Marks a dispatched request as holding one of a domain's tokens until it completes.</summary>
    private sealed class DomainToken(int domain)
    {
        public int Domain { get; } = domain;
    }

    /// <summary>kyber_limit_depth: an asynchronous request only while fewer than 75 % of the requests exist.</summary>
    public override int RequestLimit(BioOp op, BioFlags flags, int nrRequests) =>
        Request.IsSyncOp(op, flags) ? nrRequests : Math.Max(1, nrRequests * AsyncPercent / 100);
}
