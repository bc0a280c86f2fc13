using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>The outcome of a VFS operation without a value: success, or the errno and a message naming the path.</summary>
public readonly record struct VfsResult(Errno Errno, string? Message)
{
    public static VfsResult Success => default;

    public bool Ok => Errno == Errno.None;

    public static VfsResult Fail(Errno errno, string message) => new(errno, message);

    public override string ToString() => Ok ? "ok" : $"{Message} ({Errno})";
}

/// <summary>The outcome of a VFS operation with a value; on failure the value is default.</summary>
public readonly record struct VfsResult<T>(T Value, Errno Errno, string? Message)
{
    public bool Ok => Errno == Errno.None;

    public static VfsResult<T> Success(T value) => new(value, Errno.None, null);

    /// <summary>A write to a pipe or socket without a reader: the SIGPIPE the kernel would send the caller.</summary>
    public bool RaiseSigpipe { get; init; }

    public static VfsResult<T> Fail(Errno errno, string message) => new(default!, errno, message);

    public static implicit operator VfsResult<T>(VfsResult failure) => new(default!, failure.Errno, failure.Message);

    /// <summary>The failure without its value (for passing an error up).</summary>
    public VfsResult Status => new(Errno, Message);

    public override string ToString() => Ok ? $"ok {Value}" : $"{Message} ({Errno})";
}

/// <summary>Bytes moved by a read or write, or the errno (a short count after progress is not an error).</summary>
public readonly record struct IoResult(int Bytes, Errno Error = Errno.None)
{
    /// <summary>A write to a pipe or socket without a reader: the SIGPIPE the kernel would send the caller.</summary>
    public bool RaiseSigpipe { get; init; }

    public bool Ok => Error == Errno.None;
}
