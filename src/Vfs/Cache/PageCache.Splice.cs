using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// The splice/sendfile read (filemap_splice_read): the read path of PageCache.Read.cs, read-ahead included, but the
// cached bytes go to a sink in place instead of being copied into a caller's buffer. Consecutive pages whose frames
// are consecutive in guest memory go to the sink as one span, so a sink writing to a host file makes one write per
// run of frames rather than one per page.
public sealed partial class PageCache
{
    /// <summary>
    /// Hands up to <paramref name="count"/> bytes at <paramref name="position"/> (stopping at the space's size) to
    /// <paramref name="sink"/> straight from the cached pages, in order, reading them (with read-ahead) as
    /// <see cref="ReadAsync"/> does. A failure after some bytes returns those bytes; before any, the errno.
    /// </summary>
    public ValueTask<CacheResult> SpliceAsync(AddressSpace space, long position, int count, IPageSpanSink sink,
        ReadAheadState? readAhead = null, int processId = 0)
    {
        CheckSpace(space);
        ArgumentNullException.ThrowIfNull(sink);
        if (position < 0 || count < 0)
            return new ValueTask<CacheResult>(new CacheResult(0, Errno.EINVAL));
        return DeliverAsync(space, position, count, new SinkTarget(sink), readAhead, processId);
    }
}
