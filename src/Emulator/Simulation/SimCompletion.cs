using System.Threading.Tasks.Sources;

namespace Hardware.Emulator.Simulation;

/// <summary>
/// A reusable, single-waiter completion for simulated processes: the thing an I/O hands out to be awaited.
/// Completing it schedules the waiter's continuation as an event at the current virtual time, so wake-ups are
/// ordered like every other event and never run inside the completer's stack. Reset it before each reuse;
/// a stale <see cref="ValueTask"/> from an earlier use is detected by its token.
/// </summary>
public sealed class SimCompletion<T> : IValueTaskSource<T>, IValueTaskSource
{
    private static readonly Action<object?> s_noContinuation = static _ => { };

    private readonly Simulation _simulation;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private T? _result;
    private Exception? _error;
    private bool _completed;
    private short _version;

    public SimCompletion(Simulation simulation)
    {
        _simulation = simulation;
    }

    public short Version => _version;

    public bool IsCompleted => _completed;

    public ValueTask<T> Task => new(this, _version);

    /// <summary>The completion as a non-generic task, for callers that only wait.</summary>
    public ValueTask WaitAsync() => new(this, _version);

    /// <summary>Prepares for a new waiter; the previous result is gone.</summary>
    public void Reset()
    {
        _version++;
        _continuation = null;
        _continuationState = null;
        _result = default;
        _error = null;
        _completed = false;
    }

    public void SetResult(T result)
    {
        _result = result;
        SignalCompletion();
    }

    public void SetException(Exception error)
    {
        _error = error;
        SignalCompletion();
    }

    /// <summary>
    /// Completes and resumes the waiter inside the calling event instead of in a new one. Only for an event that is
    /// itself the waiter's scheduled wake-up (a delay's expiry): that event already has the waiter's place in
    /// (time, sequence) order, so a second event at the same time would only repeat it.
    /// </summary>
    internal void SetResultFromWakeUpEvent(T result)
    {
        _result = result;
        if (_completed)
            throw new InvalidOperationException("completion signalled twice");
        _completed = true;
        if (_continuation is { } continuation && !ReferenceEquals(continuation, s_noContinuation))
            continuation(_continuationState);
    }

    private void SignalCompletion()
    {
        if (_completed)
            throw new InvalidOperationException("completion signalled twice");
        _completed = true;
        if (_continuation is { } continuation && !ReferenceEquals(continuation, s_noContinuation))
            _simulation.Post(continuation, _continuationState);
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        CheckToken(token);
        if (!_completed)
            return ValueTaskSourceStatus.Pending;
        return _error is null ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Faulted;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        // Flags are ignored on purpose: the simulation has one thread and no context to return to.
        CheckToken(token);
        if (_continuation is not null)
            throw new InvalidOperationException("a simulation completion supports a single waiter");
        _continuation = continuation;
        _continuationState = state;
        if (_completed)
            _simulation.Post(continuation, state);
    }

    public T GetResult(short token)
    {
        CheckToken(token);
        if (!_completed)
            throw new InvalidOperationException("result read before completion");
        _continuation = s_noContinuation;
        if (_error is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
        return _result!;
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    private void CheckToken(short token)
    {
        if (token != _version)
            throw new InvalidOperationException("a simulation completion was awaited after it was reused");
    }
}
