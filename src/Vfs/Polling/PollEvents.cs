namespace Hardware.Vfs.Polling;

/// <summary>poll(2) event bits with Linux's values (asm-generic/poll.h).</summary>
[Flags]
public enum PollEvents : short
{
    None = 0,
    /// <summary>Data to read, an end of file to read, or a connection to accept.</summary>
    POLLIN = 0x0001,
    POLLPRI = 0x0002,
    /// <summary>Room to write without blocking (for a pipe: at least PIPE_BUF bytes, so an atomic write fits).</summary>
    POLLOUT = 0x0004,
    /// <summary>An error condition: a pipe write end whose readers are gone, a socket with a pending error. Always reported.</summary>
    POLLERR = 0x0008,
    /// <summary>Hang-up: a pipe read end whose writers are gone, a socket shut down both ways. Always reported.</summary>
    POLLHUP = 0x0010,
    /// <summary>The descriptor is closed. Always reported.</summary>
    POLLNVAL = 0x0020,
    /// <summary>The peer of a stream socket shut down writing (or the socket shut down reading).</summary>
    POLLRDHUP = 0x2000,
}

public static class PollEventsExtensions
{
    /// <summary>The bits reported whether or not they were asked for, as poll(2) does.</summary>
    public const PollEvents AlwaysReported = PollEvents.POLLERR | PollEvents.POLLHUP | PollEvents.POLLNVAL;

    /// <summary>What poll returns in revents for an object that is <paramref name="ready"/> when asked for <paramref name="requested"/>.</summary>
    public static PollEvents Filter(this PollEvents ready, PollEvents requested) => ready & (requested | AlwaysReported);
}
