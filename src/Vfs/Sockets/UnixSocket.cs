using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Sockets;

/// <summary>
/// An AF_UNIX stream socket: the kernel object behind a socket descriptor. A connected pair shares two
/// <see cref="Pipe"/>s, one per direction, so reads and writes block, return EAGAIN, and see end of file and EPIPE
/// exactly as pipe ends do. Connection setup (bind, listen, connect, accept) is in UnixSocket.Connection.cs.
/// </summary>
public sealed partial class UnixSocket : IPollable, IPollWatcher
{
    private readonly PollWatchers _watchers = new();
    private PipeReadEnd? _incoming;
    private PipeWriteEnd? _outgoing;

    public UnixSocket(Simulation simulation, UnixSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        Simulation = simulation;
        Options = options ?? UnixSocketOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.BufferBytes, 1, nameof(options));
        References = 1;
        _acceptWaiters = new WaitQueue(simulation);
    }

    /// <summary>socketpair(AF_UNIX, SOCK_STREAM): two sockets connected to each other.</summary>
    public static (UnixSocket First, UnixSocket Second) CreatePair(Simulation simulation, UnixSocketOptions? options = null)
    {
        var first = new UnixSocket(simulation, options);
        var second = new UnixSocket(simulation, options);
        Connect(first, second);
        return (first, second);
    }

    public Simulation Simulation { get; }

    public UnixSocketOptions Options { get; }

    public UnixSocketState State { get; private set; }

    /// <summary>O_NONBLOCK on the open file description.</summary>
    public bool NonBlocking { get; set; }

    /// <summary>Descriptors sharing this socket.</summary>
    public int References { get; private set; }

    /// <summary>Bytes received and not yet read (FIONREAD).</summary>
    public int Available => _incoming?.Pipe.Available ?? 0;

    /// <summary>SHUT_RD was called (or the socket closed).</summary>
    public bool ReadShutdown { get; private set; }

    /// <summary>SHUT_WR was called (or the socket closed).</summary>
    public bool WriteShutdown { get; private set; }

    /// <summary>dup(2): another reference to the same socket.</summary>
    public Errno Duplicate()
    {
        if (State == UnixSocketState.Closed)
            return Errno.EBADF;
        References++;
        return Errno.None;
    }

    /// <summary>
    /// read(2)/recv: what is available, at least one byte, waiting unless non-blocking (EAGAIN); 0 once the peer shut
    /// down writing or closed and the data is drained; ECONNRESET once if the peer closed with data unread.
    /// </summary>
    public ValueTask<TransferResult> ReadAsync(Memory<byte> buffer)
    {
        if (_incoming is { } incoming)
            return incoming.Pipe.ReadAsync(buffer, NonBlocking);
        return new(State switch
        {
            UnixSocketState.Closed => TransferResult.Failure(Errno.EBADF, "read from a closed socket"),
            UnixSocketState.Listening => TransferResult.Failure(Errno.EINVAL, "read from a listening socket"),
            _ => TransferResult.Failure(Errno.ENOTCONN, "read from a socket that is not connected"),
        });
    }

    /// <summary>
    /// write(2)/send: all of <paramref name="data"/>, waiting for room unless non-blocking; EPIPE with SIGPIPE once this
    /// side shut down writing or the peer shut down reading or closed.
    /// </summary>
    public ValueTask<TransferResult> WriteAsync(ReadOnlyMemory<byte> data)
    {
        if (_outgoing is { } outgoing)
            return outgoing.Pipe.WriteAsync(data, NonBlocking);
        return new(State == UnixSocketState.Closed
            ? TransferResult.Failure(Errno.EBADF, "write to a closed socket")
            : TransferResult.Failure(Errno.ENOTCONN, "write to a socket that is not connected"));
    }

    /// <summary>shutdown(2). ENOTCONN unless connected.</summary>
    public SocketResult Shutdown(ShutdownHow how)
    {
        if (how is < ShutdownHow.Read or > ShutdownHow.ReadWrite)
            return new SocketResult(Errno.EINVAL, $"shutdown: unknown how {(int)how}");
        if (State == UnixSocketState.Closed)
            return new SocketResult(Errno.EBADF, "shutdown of a closed socket");
        if (State != UnixSocketState.Connected)
            return new SocketResult(Errno.ENOTCONN, "shutdown of a socket that is not connected");
        if (how != ShutdownHow.Write && !ReadShutdown)
        {
            // The incoming pipe loses its reader: the peer's writes fail with EPIPE, ours read what is left, then 0.
            ReadShutdown = true;
            _incoming!.Pipe.ReleaseReader();
        }
        if (how != ShutdownHow.Read && !WriteShutdown)
        {
            WriteShutdown = true;
            _outgoing!.Pipe.ReleaseWriter();
        }
        _watchers.Notify();
        return SocketResult.Ok;
    }

    /// <summary>
    /// close(2) of one reference. The last one tears the socket down: the peer reads end of file (ECONNRESET first if
    /// this side left data unread) and its writes fail with EPIPE; a listener's pending connections are reset; the
    /// address is released.
    /// </summary>
    public SocketResult Close()
    {
        if (State == UnixSocketState.Closed)
            return new SocketResult(Errno.EBADF, "close of a closed socket");
        if (--References > 0)
            return SocketResult.Ok;
        if (State == UnixSocketState.Connected)
            Disconnect(reset: _incoming!.Pipe.Available > 0);
        else if (State == UnixSocketState.Listening)
            ResetPendingConnections();
        if (Address is not null)
            _addressSpace!.Unbind(Address, this);
        State = UnixSocketState.Closed;
        _acceptWaiters.WakeAll();
        _watchers.Notify();
        return SocketResult.Ok;
    }

    /// <summary>poll readiness with Linux's unix_poll rules for stream sockets.</summary>
    public PollEvents Readiness
    {
        get
        {
            switch (State)
            {
                case UnixSocketState.Closed:
                    return PollEvents.POLLNVAL;
                case UnixSocketState.Listening:
                    return _pending.Count > 0 ? PollEvents.POLLIN : PollEvents.None;
                case UnixSocketState.Unconnected:
                    return PollEvents.POLLOUT | PollEvents.POLLHUP;
            }
            Pipe incoming = _incoming!.Pipe, outgoing = _outgoing!.Pipe;
            bool receiveShut = ReadShutdown || incoming.Writers == 0;
            bool sendShut = WriteShutdown || outgoing.Readers == 0;
            PollEvents events = PollEvents.None;
            if (incoming.PendingReadError != Errno.None)
                events |= PollEvents.POLLERR;
            if (receiveShut && sendShut)
                events |= PollEvents.POLLHUP;
            if (receiveShut || incoming.Available > 0)
                events |= PollEvents.POLLIN;
            if (receiveShut)
                events |= PollEvents.POLLRDHUP;
            if (sendShut || (outgoing.WriteReadiness & PollEvents.POLLOUT) != 0)
                events |= PollEvents.POLLOUT;
            return events;
        }
    }

    public void Subscribe(IPollWatcher watcher) => _watchers.Subscribe(watcher);

    public void Unsubscribe(IPollWatcher watcher) => _watchers.Unsubscribe(watcher);

    void IPollWatcher.OnReadinessChanged() => _watchers.Notify();

    /// <summary>Joins two unconnected sockets with a pipe per direction.</summary>
    private static void Connect(UnixSocket a, UnixSocket b)
    {
        var aToB = new Pipe(a.Simulation, a.Options.BufferBytes);
        var bToA = new Pipe(b.Simulation, b.Options.BufferBytes);
        a.Attach(incoming: bToA.OpenReader(), outgoing: aToB.OpenWriter());
        b.Attach(incoming: aToB.OpenReader(), outgoing: bToA.OpenWriter());
    }

    private void Attach(PipeReadEnd incoming, PipeWriteEnd outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
        incoming.Subscribe(this);
        outgoing.Subscribe(this);
        State = UnixSocketState.Connected;
        _watchers.Notify();
    }

    private void Disconnect(bool reset)
    {
        Pipe incoming = _incoming!.Pipe, outgoing = _outgoing!.Pipe;
        incoming.Watchers.Unsubscribe(this);
        outgoing.Watchers.Unsubscribe(this);
        if (!ReadShutdown)
            incoming.ReleaseReader();
        if (!WriteShutdown)
        {
            if (reset)
                outgoing.ReleaseWriterWithError(Errno.ECONNRESET);
            else
                outgoing.ReleaseWriter();
        }
        else if (reset)
            outgoing.SetPendingReadError(Errno.ECONNRESET);
        ReadShutdown = WriteShutdown = true;
        _incoming = null;
        _outgoing = null;
    }
}
