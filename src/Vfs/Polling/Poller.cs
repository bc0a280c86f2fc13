using System.Runtime.CompilerServices;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Polling;

/// <summary>
/// poll(2) for one simulated process: waits until at least one entry is ready or a timeout in virtual time passes.
/// A poller is reusable (one per process, like a poll table on the kernel stack) and allocates nothing per call in
/// steady state; it is not reentrant: one poll at a time.
/// </summary>
public sealed class Poller : IPollWatcher
{
    /// <summary>Pass as the timeout to wait without limit (poll's negative timeout).</summary>
    public const long Infinite = -1;

    private readonly SimCompletion<bool> _wake;
    private readonly SimTimer _timer;
    private PollEvents[] _revents = new PollEvents[4];
    private bool _waiting;
    private bool _timedOut;
    private bool _busy;

    public Poller(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        _wake = new SimCompletion<bool>(simulation);
        _timer = new SimTimer(simulation, OnTimeout);
    }

    /// <summary>Polls that had to sleep at least once (a statistic).</summary>
    public long Sleeps { get; private set; }

    /// <summary>
    /// Returns at once when an entry is ready or <paramref name="timeoutNs"/> is 0; otherwise sleeps until a watched
    /// object changes and is ready, or until <paramref name="timeoutNs"/> of virtual time has passed
    /// (<see cref="Infinite"/>: no limit).
    /// </summary>
    public ValueTask<PollResult> PollAsync(IReadOnlyList<(IPollable Target, PollEvents Events)> entries, long timeoutNs)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (timeoutNs < 0 && timeoutNs != Infinite)
            throw new ArgumentOutOfRangeException(nameof(timeoutNs), timeoutNs, "timeout must be >= 0 ns or Poller.Infinite");
        if (_busy)
            throw new InvalidOperationException("a poller serves one poll at a time");
        if (_revents.Length < entries.Count)
            _revents = new PollEvents[Math.Max(entries.Count, _revents.Length * 2)];
        int ready = Scan(entries);
        if (ready > 0 || timeoutNs == 0)
            return new ValueTask<PollResult>(new PollResult(_revents, entries.Count, ready));
        return SleepAsync(entries, timeoutNs);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PollResult> SleepAsync(IReadOnlyList<(IPollable Target, PollEvents Events)> entries, long timeoutNs)
    {
        _busy = true;
        _timedOut = false;
        Sleeps++;
        for (int i = 0; i < entries.Count; i++)
            entries[i].Target.Subscribe(this);
        if (timeoutNs != Infinite)
            _timer.Arm(timeoutNs);
        try
        {
            while (true)
            {
                _wake.Reset();
                _waiting = true;
                await _wake.WaitAsync();
                int ready = Scan(entries);
                if (ready > 0 || _timedOut)
                    return new PollResult(_revents, entries.Count, ready);
            }
        }
        finally
        {
            _waiting = false;
            _timer.Cancel();
            for (int i = 0; i < entries.Count; i++)
                entries[i].Target.Unsubscribe(this);
            _busy = false;
        }
    }

    private int Scan(IReadOnlyList<(IPollable Target, PollEvents Events)> entries)
    {
        int ready = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            var (target, requested) = entries[i];
            PollEvents revents = target.Readiness.Filter(requested);
            _revents[i] = revents;
            if (revents != PollEvents.None)
                ready++;
        }
        return ready;
    }

    void IPollWatcher.OnReadinessChanged() => Wake();

    private void OnTimeout()
    {
        _timedOut = true;
        Wake();
    }

    private void Wake()
    {
        if (!_waiting)
            return;
        _waiting = false;
        _wake.SetResult(true);
    }
}
