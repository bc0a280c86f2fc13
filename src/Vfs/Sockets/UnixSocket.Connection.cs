using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Sockets;

/// <summary>Connection setup of an AF_UNIX stream socket: bind, listen, connect, accept.</summary>
public sealed partial class UnixSocket
{
    private readonly Queue<UnixSocket> _pending = new();
    private readonly WaitQueue _acceptWaiters;
    private IUnixAddressSpace? _addressSpace;

    /// <summary>The address this socket is bound to, or null.</summary>
    public string? Address { get; private set; }

    /// <summary>The listen backlog (connections may wait in the accept queue while it holds at most this many).</summary>
    public int Backlog { get; private set; }

    /// <summary>Connections waiting for accept.</summary>
    public int PendingConnections => _pending.Count;

    /// <summary>bind(2): EINVAL if already bound or the address is empty or too long; EADDRINUSE when taken.</summary>
    public SocketResult Bind(IUnixAddressSpace space, string address)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(address);
        if (State == UnixSocketState.Closed)
            return new SocketResult(Errno.EBADF, "bind of a closed socket");
        if (Address is not null)
            return new SocketResult(Errno.EINVAL, $"bind {address}: socket already bound to {Address}");
        if (address.Length == 0 || Encoding.UTF8.GetByteCount(address) > UnixSocketOptions.MaxPathBytes)
            return new SocketResult(Errno.EINVAL, $"bind: address must be 1..{UnixSocketOptions.MaxPathBytes} bytes");
        if (space.Bind(address, this) is var errno && errno != Errno.None)
            return new SocketResult(errno, $"bind {address}: address in use");
        _addressSpace = space;
        Address = address;
        return SocketResult.Ok;
    }

    /// <summary>
    /// listen(2): EINVAL unless bound and unconnected. The backlog is clamped to [0, MaxBacklog]; as on Linux, the
    /// accept queue is full once it holds more than backlog connections, so backlog 0 still admits one.
    /// Calling it again on a listener changes the backlog.
    /// </summary>
    public SocketResult Listen(int backlog)
    {
        if (State == UnixSocketState.Closed)
            return new SocketResult(Errno.EBADF, "listen on a closed socket");
        if (State == UnixSocketState.Connected)
            return new SocketResult(Errno.EINVAL, "listen on a connected socket");
        if (Address is null)
            return new SocketResult(Errno.EINVAL, "listen on an unbound socket");
        Backlog = Math.Clamp(backlog, 0, Options.MaxBacklog);
        State = UnixSocketState.Listening;
        _watchers.Notify();
        return SocketResult.Ok;
    }

    /// <summary>
    /// connect(2) to the listener bound at <paramref name="address"/>. It completes at once, as AF_UNIX connect does:
    /// the server side waits in the listener's accept queue already connected, so data may flow before accept.
    /// ECONNREFUSED when nothing is bound there, the socket there is not listening, or its backlog is full;
    /// EISCONN when connected; EINVAL on a listener.
    /// </summary>
    public SocketResult Connect(IUnixAddressSpace space, string address)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(address);
        switch (State)
        {
            case UnixSocketState.Closed:
                return new SocketResult(Errno.EBADF, "connect of a closed socket");
            case UnixSocketState.Connected:
                return new SocketResult(Errno.EISCONN, $"connect {address}: socket is already connected");
            case UnixSocketState.Listening:
                return new SocketResult(Errno.EINVAL, $"connect {address}: socket is listening");
        }
        UnixSocket? listener = space.Lookup(address);
        if (listener is null)
            return new SocketResult(Errno.ECONNREFUSED, $"connect {address}: no socket bound there");
        if (listener.State != UnixSocketState.Listening)
            return new SocketResult(Errno.ECONNREFUSED, $"connect {address}: socket is not listening");
        if (listener._pending.Count > listener.Backlog)
            return new SocketResult(Errno.ECONNREFUSED, $"connect {address}: backlog of {listener.Backlog} is full");
        var server = new UnixSocket(listener.Simulation, listener.Options);
        Connect(this, server);
        listener._pending.Enqueue(server);
        listener._acceptWaiters.WakeAll();
        listener._watchers.Notify();
        return SocketResult.Ok;
    }

    /// <summary>
    /// accept(2): the oldest pending connection, waiting for one unless non-blocking (EAGAIN); EINVAL unless listening.
    /// </summary>
    public ValueTask<AcceptResult> AcceptAsync()
    {
        if (TryAccept(out AcceptResult result))
            return new ValueTask<AcceptResult>(result);
        return WaitForConnectionAsync();
    }

    private async ValueTask<AcceptResult> WaitForConnectionAsync()
    {
        WaitQueue.Sleeper sleeper = _acceptWaiters.Join();
        try
        {
            while (true)
            {
                await _acceptWaiters.SleepAsync(sleeper);
                if (TryAccept(out AcceptResult result))
                    return result;
            }
        }
        finally
        {
            _acceptWaiters.Leave(sleeper);
        }
    }

    private bool TryAccept(out AcceptResult result)
    {
        if (State == UnixSocketState.Closed)
            result = new AcceptResult(Errno.EBADF, null, "accept on a closed socket");
        else if (State != UnixSocketState.Listening)
            result = new AcceptResult(Errno.EINVAL, null, "accept on a socket that is not listening");
        else if (_pending.TryDequeue(out UnixSocket? server))
        {
            result = new AcceptResult(Errno.None, server, null);
            _watchers.Notify();
        }
        else if (NonBlocking)
            result = new AcceptResult(Errno.EAGAIN, null, $"accept on {Address}: no pending connection");
        else
        {
            result = default;
            return false;
        }
        return true;
    }

    /// <summary>A closing listener resets the connections nobody accepted: their clients read ECONNRESET.</summary>
    private void ResetPendingConnections()
    {
        while (_pending.TryDequeue(out UnixSocket? server))
        {
            server.Disconnect(reset: true);
            server.State = UnixSocketState.Closed;
            server.References = 0;
        }
    }
}
