namespace Hardware.Emulator.Simulation;

/// <summary>
/// The deterministic discrete-event kernel of one emulated machine: a virtual clock in nanoseconds, an event
/// queue ordered by (time, sequence), and the single-threaded executor on which simulated processes run.
/// </summary>
/// <remarks>
/// Nothing here reads the wall clock, sleeps, or touches the thread pool. Process continuations are never run
/// inline by whoever completes an I/O: a wake-up is an event at the current time, fired in sequence order, just
/// as a kernel puts a woken task on the run queue. A <see cref="Delay"/> is the one exception: its expiry event was
/// scheduled for the process itself when it went to sleep, so the process resumes inside that event, in its place in
/// (time, sequence) order, rather than in a second event at the same time. Same seed and inputs therefore give the
/// same events at the same times, bit for bit.
/// </remarks>
public sealed class Simulation
{
    private readonly EventQueue _queue = new();
    private long _nextSequence;
    private Exception? _processFault;
    private EventLog? _log;

    internal Stack<SimDelay> DelayPool { get; } = new();

    public Simulation(ulong seed = 1)
    {
        Seed = seed;
    }

    /// <summary>Current virtual time in nanoseconds since the machine was built.</summary>
    public long Now { get; private set; }

    public ulong Seed { get; }

    /// <summary>Number of events fired so far.</summary>
    public long EventsFired { get; private set; }

    public int PendingEvents => _queue.Count;

    /// <summary>A generator for a named consumer; the same name always yields the same numbers for a seed.</summary>
    public SimRandom CreateRandom(string stream) => SimRandom.ForStream(Seed, stream);

    /// <summary>
    /// Records every fired event (time, sequence, target type, argument) into a running hash and, optionally,
    /// a list; used to prove two runs identical.
    /// </summary>
    public EventLog EnableEventLog(bool keepEntries = false) => _log = new EventLog(keepEntries);

    public EventLog? Log => _log;

    public void ScheduleAt(long time, ISimEventHandler handler, long argument = 0)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Enqueue(time, handler, argument, null, null);
    }

    public void Schedule(long delay, ISimEventHandler handler, long argument = 0) =>
        ScheduleAt(Now + CheckDelay(delay), handler, argument);

    /// <summary>Schedules a callback; pass a cached (static) delegate and put per-call data in <paramref name="state"/>.</summary>
    public void ScheduleAt(long time, Action<object?> callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Enqueue(time, null, 0, callback, state);
    }

    public void Schedule(long delay, Action<object?> callback, object? state) =>
        ScheduleAt(Now + CheckDelay(delay), callback, state);

    /// <summary>Runs <paramref name="callback"/> at the current time, after everything already due now.</summary>
    public void Post(Action<object?> callback, object? state) => Enqueue(Now, null, 0, callback, state);

    /// <summary>Fires the next event. Returns false when nothing is scheduled.</summary>
    public bool Step()
    {
        if (_queue.Count == 0)
            return false;
        _queue.Pop(out SimEvent e);
        Now = e.Time;
        EventsFired++;
        _log?.Record(e);
        if (e.Handler is not null)
            e.Handler.OnEvent(e.Argument);
        else
            e.Callback!(e.State);
        if (_processFault is not null)
            ThrowProcessFault();
        return true;
    }

    /// <summary>Runs until no event is left.</summary>
    public void Run()
    {
        using var _ = new NoSynchronizationContext();
        while (Step()) { }
    }

    /// <summary>Runs every event due at or before <paramref name="time"/>, then sets the clock to it.</summary>
    public void RunUntil(long time)
    {
        using var _ = new NoSynchronizationContext();
        while (_queue.Count > 0 && _queue.PeekTime() <= time)
            Step();
        if (time > Now)
            Now = time;
    }

    /// <summary>The blocking facade: runs the event loop until <paramref name="task"/> has completed.</summary>
    /// <exception cref="SimulationDeadlockException">The queue ran dry while the task was still waiting.</exception>
    public void RunUntilComplete(Task task)
    {
        using (new NoSynchronizationContext())
        {
            while (!task.IsCompleted)
            {
                if (!Step())
                    throw new SimulationDeadlockException(Now);
            }
        }
        task.GetAwaiter().GetResult();
    }

    public T RunUntilComplete<T>(Task<T> task)
    {
        RunUntilComplete((Task)task);
        return task.Result;
    }

    /// <summary>
    /// Starts a simulated process. Its body begins at the current virtual time, from the event loop; an exception
    /// escaping it is a bug and stops the simulation at the next step.
    /// </summary>
    public Task Spawn(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var start = new TaskCompletionSource(TaskCreationOptions.None);
        Post(static s => ((TaskCompletionSource)s!).SetResult(), start);
        return RunProcess(start.Task, body);
    }

    public Task<T> Spawn<T>(Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var start = new TaskCompletionSource(TaskCreationOptions.None);
        Post(static s => ((TaskCompletionSource)s!).SetResult(), start);
        return RunProcess(start.Task, body);
    }

    /// <summary>Suspends the calling process for <paramref name="delay"/> nanoseconds of virtual time.</summary>
    public ValueTask Delay(long delay)
    {
        SimDelay d = SimDelay.Rent(this);
        ScheduleAt(Now + CheckDelay(delay), d, d.Version);
        return d.AsValueTask();
    }

    private async Task RunProcess(Task start, Func<Task> body)
    {
        await start.ConfigureAwait(false);
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _processFault ??= ex;
            throw;
        }
    }

    private async Task<T> RunProcess<T>(Task start, Func<Task<T>> body)
    {
        await start.ConfigureAwait(false);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _processFault ??= ex;
            throw;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowProcessFault()
    {
        Exception fault = _processFault!;
        _processFault = null;
        throw new SimulationProcessException(Now, fault);
    }

    private void Enqueue(long time, ISimEventHandler? handler, long argument, Action<object?>? callback, object? state)
    {
        if (time < Now)
            throw new ArgumentOutOfRangeException(nameof(time), time, $"event scheduled in the past (now {Now} ns)");
        _queue.Push(Now, time, _nextSequence++, handler, argument, callback, state);
    }

    private static long CheckDelay(long delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        return delay;
    }

    /// <summary>
    /// Continuations must not be posted to a caller's context (xunit's, a UI's): inside the loop there is none,
    /// so awaits resume inline on the loop's thread, in event order.
    /// </summary>
    private readonly struct NoSynchronizationContext : IDisposable
    {
        private readonly SynchronizationContext? _saved;

        public NoSynchronizationContext()
        {
            _saved = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
        }

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_saved);
    }
}

public sealed class SimulationDeadlockException(long now)
    : InvalidOperationException($"simulation ran out of events at {now} ns while a task was still waiting (deadlock)");

public sealed class SimulationProcessException(long now, Exception inner)
    : Exception($"a simulated process failed at {now} ns: {inner.Message}", inner);
