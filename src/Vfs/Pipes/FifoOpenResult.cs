using Hardware.BlockLayer;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// The outcome of opening a FIFO: the read end, the write end, or both (O_RDWR), or an errno with a message.
/// </summary>
public readonly record struct FifoOpenResult(Errno Errno, PipeReadEnd? Reader, PipeWriteEnd? Writer, string? Message)
{
    public bool IsSuccess => Errno == Errno.None;
}
