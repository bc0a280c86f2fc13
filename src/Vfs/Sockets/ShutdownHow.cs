namespace Hardware.Vfs.Sockets;

/// <summary>shutdown(2)'s how argument, with Linux's values.</summary>
public enum ShutdownHow
{
    /// <summary>SHUT_RD: no more receptions; the peer's writes fail with EPIPE.</summary>
    Read = 0,
    /// <summary>SHUT_WR: no more transmissions; the peer reads end of file once drained.</summary>
    Write = 1,
    /// <summary>SHUT_RDWR: both.</summary>
    ReadWrite = 2,
}
