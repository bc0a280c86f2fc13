namespace Hardware.Vfs.Sockets;

/// <summary>Tunables of AF_UNIX stream sockets.</summary>
public sealed record UnixSocketOptions
{
    public static readonly UnixSocketOptions Default = new();

    /// <summary>Bytes in flight per direction before a writer blocks: Linux's net.core.wmem_default, 212,992 bytes.</summary>
    public int BufferBytes { get; init; } = 212_992;

    /// <summary>The most a listen backlog may be (net.core.somaxconn, 4096 since Linux 5.4).</summary>
    public int MaxBacklog { get; init; } = 4096;

    /// <summary>sizeof(sun_path) - 1: the longest path a bind may name, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 107;
}
