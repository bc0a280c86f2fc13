namespace Hardware.Vfs.Sockets;

/// <summary>Where a stream socket is in its life (Linux keeps TCP_CLOSE / TCP_LISTEN / TCP_ESTABLISHED for AF_UNIX).</summary>
public enum UnixSocketState
{
    /// <summary>Created, maybe bound; neither listening nor connected.</summary>
    Unconnected,
    Listening,
    Connected,
    /// <summary>The last reference was closed; every call fails with EBADF.</summary>
    Closed,
}
