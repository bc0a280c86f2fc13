using Hardware.BlockLayer;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// The outcome of a read or write on a pipe end or socket: bytes moved (0 at end of file), or an errno with a
/// message. A write that ran into a closed reader sets <see cref="RaiseSigpipe"/>, the SIGPIPE the kernel would send
/// the writer; it may come with a partial count (bytes written before the readers went away) and no errno.
/// </summary>
public readonly record struct TransferResult(int Bytes, Errno Errno, bool RaiseSigpipe, string? Message)
{
    public bool IsSuccess => Errno == Errno.None;

    public static TransferResult Success(int bytes) => new(bytes, Errno.None, false, null);

    public static TransferResult Failure(Errno errno, string message) => new(0, errno, false, message);

    public override string ToString() =>
        IsSuccess ? $"{Bytes} bytes{(RaiseSigpipe ? " + SIGPIPE" : "")}" : $"{Message} ({Errno}{(RaiseSigpipe ? " + SIGPIPE" : "")})";
}
