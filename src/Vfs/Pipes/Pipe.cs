using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// A pipe's shared state (Linux struct pipe_inode_info): a bounded byte ring, the counts of open read and write
/// ends, and the wait queues of blocked readers and writers. Anonymous pipes (<see cref="Create"/>), FIFOs
/// (<see cref="Fifo"/>) and each direction of a connected AF_UNIX stream socket are built on it.
/// </summary>
/// <remarks>
/// A plain ring buffer rather than System.IO.Pipelines: Pipelines has one reader and one writer by design, and its
/// writer commits whatever was written, so it can neither make a write of at most PIPE_BUF bytes wait for room for
/// the whole write nor queue several blocked writers in a deterministic FIFO order; its default schedulers also
/// use the thread pool. Here blocked readers and writers queue in arrival order and retry in a simulation event.
/// </remarks>
public sealed class Pipe : ISimEventHandler
{
    private const long RetryReaders = 0;
    private const long RetryWriters = 1;

    private readonly TransferQueue _blockedReaders = new();
    private readonly TransferQueue _blockedWriters = new();
    private readonly Stack<BlockedTransfer> _transferPool = new();
    private readonly ByteRing _ring;
    private Errno _pendingReadError;
    private bool _readerRetryScheduled;
    private bool _writerRetryScheduled;

    public Pipe(Simulation simulation, int capacityBytes = PipeLimits.DefaultCapacityBytes)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        Simulation = simulation;
        _ring = new ByteRing(capacityBytes);
    }

    /// <summary>pipe(2): a new pipe with one read end and one write end.</summary>
    public static (PipeReadEnd Reader, PipeWriteEnd Writer) Create(Simulation simulation, int capacityBytes = PipeLimits.DefaultCapacityBytes)
    {
        var pipe = new Pipe(simulation, capacityBytes);
        return (pipe.OpenReader(), pipe.OpenWriter());
    }

    public Simulation Simulation { get; }

    /// <summary>Bytes the pipe can hold.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>Bytes written and not yet read (FIONREAD).</summary>
    public int Available => _ring.Count;

    /// <summary>Open read ends (pipe->readers).</summary>
    public int Readers { get; private set; }

    /// <summary>Open write ends (pipe->writers).</summary>
    public int Writers { get; private set; }

    /// <summary>Poll watchers of both ends: told of data, room and hang-ups.</summary>
    public PollWatchers Watchers { get; } = new();

    public PipeStats Stats => new(BytesWritten, BytesRead, _blockedReaders.Sleeps, _blockedWriters.Sleeps);

    private long BytesWritten { get; set; }

    private long BytesRead { get; set; }

    /// <summary>Opens another read end (a FIFO opened for reading); it counts as a reader until closed.</summary>
    public PipeReadEnd OpenReader()
    {
        Readers++;
        Watchers.Notify();
        return new PipeReadEnd(this);
    }

    /// <summary>Opens another write end; it counts as a writer until closed.</summary>
    public PipeWriteEnd OpenWriter()
    {
        Writers++;
        Watchers.Notify();
        return new PipeWriteEnd(this);
    }

    /// <summary>
    /// F_SETPIPE_SZ: rounds <paramref name="bytes"/> up to a power-of-two number of pages; EPERM above
    /// <see cref="PipeLimits.MaxCapacityBytes"/>, EBUSY when the pipe holds more than the new size.
    /// </summary>
    public Errno SetCapacity(int bytes, out int capacity)
    {
        capacity = Capacity;
        if (bytes <= 0)
            return Errno.EINVAL;
        if (bytes > PipeLimits.MaxCapacityBytes)
            return Errno.EPERM;
        int rounded = PipeLimits.RoundCapacity(bytes);
        if (rounded < _ring.Count)
            return Errno.EBUSY;
        if (rounded != Capacity)
            _ring.Resize(rounded);
        capacity = rounded;
        WakeWriters();
        Watchers.Notify();
        return Errno.None;
    }

    internal void ReleaseReader()
    {
        Readers--;
        // Blocked writers must see EPIPE; readers of a shut-down socket direction must see end of file.
        WakeWriters();
        WakeReaders();
        Watchers.Notify();
    }

    /// <summary>
    /// The last writer goes away abortively (a socket closed with unread data): once the reader has drained the pipe
    /// it reads <paramref name="error"/> once (ECONNRESET), then end of file.
    /// </summary>
    internal void ReleaseWriterWithError(Errno error)
    {
        _pendingReadError = error;
        ReleaseWriter();
    }

    /// <summary>Like <see cref="ReleaseWriterWithError"/> for a writing side already shut down.</summary>
    internal void SetPendingReadError(Errno error)
    {
        _pendingReadError = error;
        WakeReaders();
        Watchers.Notify();
    }

    /// <summary>The error a reader will see once the pipe is drained, if any.</summary>
    internal Errno PendingReadError => _pendingReadError;

    internal void ReleaseWriter()
    {
        Writers--;
        WakeReaders();
        WakeWriters();
        Watchers.Notify();
    }

    /// <summary>Readiness of a read end: POLLIN with data, POLLHUP once no writer is left.</summary>
    internal PollEvents ReadReadiness
    {
        get
        {
            PollEvents events = PollEvents.None;
            if (_ring.Count > 0)
                events |= PollEvents.POLLIN;
            if (Writers == 0)
                events |= PollEvents.POLLHUP;
            return events;
        }
    }

    /// <summary>Readiness of a write end: POLLOUT with room for an atomic write, POLLERR once no reader is left.</summary>
    internal PollEvents WriteReadiness
    {
        get
        {
            if (Readers == 0)
                return PollEvents.POLLERR;
            return _ring.Free >= Math.Min(PipeLimits.PipeBuf, Capacity) ? PollEvents.POLLOUT : PollEvents.None;
        }
    }

    /// <summary>
    /// Reads what is available (at least one byte), waiting for data unless <paramref name="nonBlocking"/>;
    /// 0 at end of file (no writer left, or the reading side shut down and drained).
    /// </summary>
    internal ValueTask<TransferResult> ReadAsync(Memory<byte> buffer, bool nonBlocking)
    {
        if (TryRead(buffer.Span, nonBlocking, out TransferResult result))
            return new ValueTask<TransferResult>(result);
        return ReadSlowAsync(buffer);
    }

    private ValueTask<TransferResult> ReadSlowAsync(Memory<byte> buffer)
    {
        BlockedTransfer transfer = BlockedTransfer.Rent(Simulation, _transferPool);
        _blockedReaders.Enqueue(transfer);
        return transfer.StartRead(buffer);
    }

    private bool TryRead(Span<byte> destination, bool nonBlocking, out TransferResult result)
    {
        if (destination.IsEmpty)
        {
            result = TransferResult.Success(0);
            return true;
        }
        if (_ring.Count > 0)
        {
            int n = _ring.Read(destination);
            BytesRead += n;
            WakeWriters();
            Watchers.Notify();
            result = TransferResult.Success(n);
            return true;
        }
        if (Writers == 0 && _pendingReadError != Errno.None)
        {
            result = TransferResult.Failure(_pendingReadError, "connection reset by peer");
            _pendingReadError = Errno.None;
            Watchers.Notify();
            return true;
        }
        if (Writers == 0 || Readers == 0)
        {
            result = TransferResult.Success(0);
            return true;
        }
        if (nonBlocking)
        {
            result = TransferResult.Failure(Errno.EAGAIN, "pipe is empty and the read would block");
            return true;
        }
        result = default;
        return false;
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>. At most PIPE_BUF bytes go in one piece once there is room for all of
    /// them; larger writes go in as room appears and may interleave with other writers. Non-blocking: EAGAIN when
    /// nothing could be written, a partial count for a large write that found some room.
    /// </summary>
    internal ValueTask<TransferResult> WriteAsync(ReadOnlyMemory<byte> data, bool nonBlocking)
    {
        int written = 0;
        if (TryWrite(data.Span, ref written, nonBlocking, out TransferResult result))
            return new ValueTask<TransferResult>(result);
        return WriteSlowAsync(data, written);
    }

    private ValueTask<TransferResult> WriteSlowAsync(ReadOnlyMemory<byte> data, int written)
    {
        BlockedTransfer transfer = BlockedTransfer.Rent(Simulation, _transferPool);
        _blockedWriters.Enqueue(transfer);
        return transfer.StartWrite(data, written);
    }

    // Like a wake_up on the pipe's wait queue: the blocked side retries in a later event at the same virtual time,
    // in arrival order, never inside the call that made the change.
    private void WakeReaders()
    {
        if (_blockedReaders.Count == 0 || _readerRetryScheduled)
            return;
        _readerRetryScheduled = true;
        Simulation.ScheduleAt(Simulation.Now, this, RetryReaders);
    }

    private void WakeWriters()
    {
        if (_blockedWriters.Count == 0 || _writerRetryScheduled)
            return;
        _writerRetryScheduled = true;
        Simulation.ScheduleAt(Simulation.Now, this, RetryWriters);
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        if (argument == RetryReaders)
        {
            _readerRetryScheduled = false;
            for (BlockedTransfer? t = _blockedReaders.First; t is not null;)
            {
                BlockedTransfer? next = TransferQueue.Next(t);
                if (TryRead(t.ReadBuffer.Span, nonBlocking: false, out TransferResult result))
                {
                    _blockedReaders.Remove(t);
                    t.Complete(result);
                }
                t = next;
            }
        }
        else
        {
            _writerRetryScheduled = false;
            for (BlockedTransfer? t = _blockedWriters.First; t is not null;)
            {
                BlockedTransfer? next = TransferQueue.Next(t);
                if (TryWrite(t.WriteData.Span, ref t.Written, nonBlocking: false, out TransferResult result))
                {
                    _blockedWriters.Remove(t);
                    t.Complete(result);
                }
                t = next;
            }
        }
    }

    private bool TryWrite(ReadOnlySpan<byte> data, ref int written, bool nonBlocking, out TransferResult result)
    {
        if (data.IsEmpty)
        {
            result = TransferResult.Success(0);
            return true;
        }
        if (Readers == 0 || Writers == 0)
        {
            // Linux pipe_write: SIGPIPE always; EPIPE only when nothing of this write went in.
            result = written > 0
                ? new TransferResult(written, Errno.None, true, null)
                : new TransferResult(0, Errno.EPIPE, true, Readers == 0 ? "pipe has no reader" : "writing side is shut down");
            return true;
        }
        int remaining = data.Length - written;
        int free = _ring.Free;
        int chunk = data.Length <= PipeLimits.PipeBuf && data.Length <= Capacity
            ? (free >= remaining ? remaining : 0)
            : Math.Min(free, remaining);
        if (chunk > 0)
        {
            _ring.Write(data.Slice(written, chunk));
            written += chunk;
            BytesWritten += chunk;
            WakeReaders();
            Watchers.Notify();
            if (written == data.Length)
            {
                result = TransferResult.Success(written);
                return true;
            }
        }
        if (nonBlocking)
        {
            result = written > 0
                ? TransferResult.Success(written)
                : TransferResult.Failure(Errno.EAGAIN, "pipe is full and the write would block");
            return true;
        }
        result = default;
        return false;
    }
}

/// <summary>Counters of one pipe: bytes through it and how often readers and writers had to sleep.</summary>
public readonly record struct PipeStats(long BytesWritten, long BytesRead, long ReaderSleeps, long WriterSleeps);
