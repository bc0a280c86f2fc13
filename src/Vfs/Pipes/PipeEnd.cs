using Hardware.BlockLayer;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// One open end of a pipe: the kernel object behind a pipe file descriptor (an open file description). Duplicating
/// a descriptor shares the end and takes a reference; the pipe stops counting the end as a reader or writer when the
/// last reference is closed. O_NONBLOCK belongs to the end, as it belongs to the open file description.
/// </summary>
public abstract class PipeEnd : IPollable
{
    private protected PipeEnd(Pipe pipe)
    {
        Pipe = pipe;
        References = 1;
    }

    public Pipe Pipe { get; }

    /// <summary>O_NONBLOCK: operations that would block return EAGAIN instead.</summary>
    public bool NonBlocking { get; set; }

    /// <summary>Descriptors sharing this end.</summary>
    public int References { get; private set; }

    public bool IsClosed => References == 0;

    public PollEvents Readiness => IsClosed ? PollEvents.POLLNVAL : OpenReadiness;

    private protected abstract PollEvents OpenReadiness { get; }

    /// <summary>dup(2): another reference to the same end.</summary>
    public Errno Duplicate()
    {
        if (IsClosed)
            return Errno.EBADF;
        References++;
        return Errno.None;
    }

    /// <summary>close(2) of one reference; the last one releases the end (EOF or EPIPE for the other side).</summary>
    public Errno Close()
    {
        if (IsClosed)
            return Errno.EBADF;
        References--;
        if (References == 0)
            Release();
        return Errno.None;
    }

    private protected abstract void Release();

    public void Subscribe(IPollWatcher watcher) => Pipe.Watchers.Subscribe(watcher);

    public void Unsubscribe(IPollWatcher watcher) => Pipe.Watchers.Unsubscribe(watcher);

    private protected static ValueTask<TransferResult> Closed(string what) =>
        new(TransferResult.Failure(Errno.EBADF, what));
}

/// <summary>The read end of a pipe (fd[0] of pipe(2), or a FIFO opened for reading).</summary>
public sealed class PipeReadEnd : PipeEnd
{
    internal PipeReadEnd(Pipe pipe) : base(pipe)
    {
    }

    private protected override PollEvents OpenReadiness => Pipe.ReadReadiness;

    /// <summary>
    /// read(2): what is available, at least one byte; waits for data when the pipe is empty (EAGAIN if
    /// <see cref="PipeEnd.NonBlocking"/>); 0 at end of file once no writer is left and the pipe is drained.
    /// </summary>
    public ValueTask<TransferResult> ReadAsync(Memory<byte> buffer) =>
        IsClosed ? Closed("read from a closed pipe end") : Pipe.ReadAsync(buffer, NonBlocking);

    private protected override void Release() => Pipe.ReleaseReader();
}

/// <summary>The write end of a pipe (fd[1] of pipe(2), or a FIFO opened for writing).</summary>
public sealed class PipeWriteEnd : PipeEnd
{
    internal PipeWriteEnd(Pipe pipe) : base(pipe)
    {
    }

    private protected override PollEvents OpenReadiness => Pipe.WriteReadiness;

    /// <summary>
    /// write(2): all of <paramref name="data"/>, waiting for room; writes of at most PIPE_BUF bytes are atomic.
    /// EPIPE with SIGPIPE when no reader is left.
    /// </summary>
    public ValueTask<TransferResult> WriteAsync(ReadOnlyMemory<byte> data) =>
        IsClosed ? Closed("write to a closed pipe end") : Pipe.WriteAsync(data, NonBlocking);

    private protected override void Release() => Pipe.ReleaseWriter();
}
