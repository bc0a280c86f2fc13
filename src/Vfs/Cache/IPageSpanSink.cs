namespace Hardware.Vfs.Cache;

/// <summary>
/// Where <see cref="PageCache.SpliceAsync"/> hands cached bytes without copying them (the actor of Linux's old
/// do_generic_file_read, as sendfile used it): each span lies in cached page frames and is valid only during the call.
/// </summary>
public interface IPageSpanSink
{
    void Write(ReadOnlySpan<byte> bytes);
}
