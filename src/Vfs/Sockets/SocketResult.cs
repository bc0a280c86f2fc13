using Hardware.BlockLayer;

namespace Hardware.Vfs.Sockets;

/// <summary>The outcome of a socket call that moves no data (bind, listen, connect, shutdown, close).</summary>
public readonly record struct SocketResult(Errno Errno, string? Message)
{
    public static readonly SocketResult Ok = new(Errno.None, null);

    public bool IsSuccess => Errno == Errno.None;

    public override string ToString() => IsSuccess ? "ok" : $"{Message} ({Errno})";
}

/// <summary>The outcome of accept: the new connected socket, or an errno with a message.</summary>
public readonly record struct AcceptResult(Errno Errno, UnixSocket? Socket, string? Message)
{
    public bool IsSuccess => Errno == Errno.None;
}
