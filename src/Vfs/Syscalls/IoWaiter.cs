using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Hardware.Vfs.Syscalls;

/// <summary>
/// The wait of a read(2), pread(2), write(2) or pwrite(2) whose file operation did not complete at once: registered on
/// the operation's task, it turns the operation's result into the call's (position, atime, the errno's message) when
/// the operation ends and resumes the caller in the same event, as an awaiting async method would. Unlike a pooled
/// async method, whose pool keeps only a few instances, the system calls keep every waiter that finished, so a process
/// with any number of calls in flight (an asynchronous engine at iodepth 32) allocates nothing in steady state.
/// </summary>
internal sealed class IoWaiter : IValueTaskSource<VfsResult<int>>
{
    private readonly SystemCalls _calls;
    private readonly Action _onDone;
    private ValueTask<IoResult> _operation;
    private File? _file;
    private long _position;
    private bool _write;
    private bool _advance;
    private Action<object?>? _continuation;
    private object? _continuationState;
    private VfsResult<int> _result;
    private ExceptionDispatchInfo? _error;
    private bool _completed;
    private short _version;

    public IoWaiter(SystemCalls calls)
    {
        _calls = calls;
        _onDone = OnDone;
    }

    /// <summary>Waits for <paramref name="operation"/>, a read (<paramref name="write"/> false) or a write at <paramref name="position"/>.</summary>
    public ValueTask<VfsResult<int>> Start(File file, ValueTask<IoResult> operation, bool write, long position, bool advance)
    {
        _file = file;
        _operation = operation;
        _write = write;
        _position = position;
        _advance = advance;
        _completed = false;
        _error = null;
        var task = new ValueTask<VfsResult<int>>(this, _version);
        if (operation.IsCompleted)
        {
            // Ended already (a fault): no wait to register, as an await would not have waited.
            Finish();
            return task;
        }
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onDone);
        return task;
    }

    private void OnDone()
    {
        Finish();
        if (_continuation is { } continuation)
            continuation(_continuationState);
    }

    private void Finish()
    {
        try
        {
            IoResult result = _operation.GetAwaiter().GetResult();
            _result = _write ? SystemCalls.CompleteWrite(_file!, _position, result, _advance) : _calls.CompleteRead(_file!, result, _advance);
        }
        catch (Exception error)
        {
            _error = ExceptionDispatchInfo.Capture(error);
        }
        _operation = default;
        _file = null;
        _completed = true;
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
            throw new InvalidOperationException("a system call's wait supports a single waiter");
        if (_completed)
        {
            _calls.Vfs.Simulation.Post(continuation, state);
            return;
        }
        _continuation = continuation;
        _continuationState = state;
    }

    public VfsResult<int> GetResult(short token)
    {
        CheckToken(token);
        if (!_completed)
            throw new InvalidOperationException("a system call's result was read before the call ended");
        VfsResult<int> result = _result;
        ExceptionDispatchInfo? error = _error;
        _version++;
        _result = default;
        _error = null;
        _continuation = null;
        _continuationState = null;
        _calls.ReturnWaiter(this);
        error?.Throw();
        return result;
    }

    private void CheckToken(short token)
    {
        if (token != _version)
            throw new InvalidOperationException("a system call's wait was awaited after it was reused");
    }
}
