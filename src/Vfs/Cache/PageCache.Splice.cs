using System.Runtime.CompilerServices;
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
        int sent = SpliceCached(space, position, count, sink, readAhead, processId);
        long end = Math.Min(space.Size, position + count);
        if (position + sent >= end)
        {
            if (sent > 0 && readAhead is not null)
                readAhead.PreviousPosition = position + sent - 1;
            return new ValueTask<CacheResult>(new CacheResult(sent));
        }
        return SpliceSlowAsync(space, position, count, sink, readAhead, processId, sent);
    }

    /// <summary>
    /// The hit path of <see cref="SpliceAsync"/>: consecutive up-to-date pages, runs of adjacent frames handed over as
    /// one span; stops at the first page that needs I/O. Nothing runs in the simulation while the sink writes, so the
    /// pages of a run cannot go away before it is handed over; a run is handed over before starting asynchronous
    /// read-ahead, which may reclaim pages.
    /// </summary>
    private int SpliceCached(AddressSpace space, long position, int count, IPageSpanSink sink, ReadAheadState? readAhead, int processId)
    {
        long end = Math.Min(space.Size, position + count);
        long previousIndex = readAhead?.PreviousIndex ?? -1;
        int sent = 0;
        CachePage? run = null;
        int runOffset = 0;
        int runLength = 0;
        while (position < end)
        {
            long index = position >> CachePage.Shift;
            CachePage? page = space.Pages.Find(index);
            if (page is null || !page.Is(PageFlags.Uptodate))
                break;
            if (page.Is(PageFlags.ReadAheadMarker))
            {
                HandOver(sink, run, runOffset, runLength);
                run = null;
                HitReadAheadMarker(space, page, readAhead, (int)(((end - 1) >> CachePage.Shift) - index + 1), processId);
            }
            int offset = (int)(position & (CachePage.Size - 1));
            int chunk = (int)Math.Min(CachePage.Size - offset, end - position);
            if (run is not null && page.Address + (ulong)offset == run.Address + (ulong)(runOffset + runLength))
            {
                runLength += chunk;
            }
            else
            {
                HandOver(sink, run, runOffset, runLength);
                (run, runOffset, runLength) = (page, offset, chunk);
            }
            Statistics.Hits++;
            if (index != previousIndex)
                MarkAccessed(page);
            previousIndex = index;
            sent += chunk;
            position += chunk;
        }
        HandOver(sink, run, runOffset, runLength);
        return sent;
    }

    private static void HandOver(IPageSpanSink sink, CachePage? run, int offset, int length)
    {
        if (run is not null && length > 0)
            sink.Write(run.FrameRun(offset, length));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult> SpliceSlowAsync(AddressSpace space, long position, int count, IPageSpanSink sink,
        ReadAheadState? readAhead, int processId, int sent)
    {
        while (true)
        {
            long at = position + sent;
            long end = Math.Min(space.Size, position + count);
            if (at >= end)
                break;
            long index = at >> CachePage.Shift;
            int requestPages = (int)(((end - 1) >> CachePage.Shift) - index + 1);
            (CachePage? page, Errno error) = await GetUptodatePageAsync(space, index, requestPages, readAhead, processId);
            if (page is null)
            {
                if (sent > 0)
                    break;
                return new CacheResult(0, error);
            }
            int chunk;
            try
            {
                end = Math.Min(space.Size, position + count);
                int offset = (int)(at & (CachePage.Size - 1));
                chunk = (int)Math.Max(0, Math.Min(CachePage.Size - offset, end - at));
                if (chunk > 0)
                    sink.Write(page.Bytes.Slice(offset, chunk));
                MarkAccessed(page);
            }
            finally
            {
                Unpin(page);
            }
            sent += chunk;
            if (chunk == 0)
                break;
            sent += SpliceCached(space, position + sent, count - sent, sink, readAhead, processId);
        }
        if (sent > 0 && readAhead is not null)
            readAhead.PreviousPosition = position + sent - 1;
        return new CacheResult(sent);
    }
}
