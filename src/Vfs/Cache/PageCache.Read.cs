using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// The read path (filemap_read): a hit copies straight from the cached pages and completes synchronously without
// allocating; a miss starts read-ahead (or reads just the request when read-ahead is off) and waits on the page. The
// same path serves splice/sendfile (PageCache.Splice.cs) with the copy replaced by a hand-over (IReadTarget).
public sealed partial class PageCache
{
    /// <summary>
    /// Reads up to <paramref name="destination"/>.Length bytes at <paramref name="position"/>, stopping at the
    /// space's size; one copy from the cached pages. <paramref name="readAhead"/> is the open file's state (null: no
    /// read-ahead). A failure after some bytes returns those bytes; a failure before any returns the errno.
    /// </summary>
    public ValueTask<CacheResult> ReadAsync(AddressSpace space, long position, Memory<byte> destination,
        ReadAheadState? readAhead = null, int processId = 0)
    {
        CheckSpace(space);
        if (position < 0)
            return new ValueTask<CacheResult>(new CacheResult(0, Errno.EINVAL));
        return DeliverAsync(space, position, destination.Length, new CopyTarget(destination), readAhead, processId);
    }

    /// <summary>
    /// Borrows the cached bytes at <paramref name="position"/> up to the end of its page (or of the data) without
    /// copying. The lease must be disposed. At or past the end of the data the lease is empty (HasPage false, no error).
    /// </summary>
    public ValueTask<PageLease> BorrowAsync(AddressSpace space, long position, ReadAheadState? readAhead = null, int processId = 0)
    {
        CheckSpace(space);
        if (position < 0)
            return new ValueTask<PageLease>(new PageLease(Errno.EINVAL));
        if (position >= space.Size)
            return new ValueTask<PageLease>(new PageLease(Errno.None));
        CachePage? page = space.Pages.Find(position >> CachePage.Shift);
        if (page is not null && page.Is(PageFlags.Uptodate) && !page.Is(PageFlags.ReadAheadMarker))
        {
            Statistics.Hits++;
            MarkAccessed(page);
            return new ValueTask<PageLease>(LeaseAt(space, page, position));
        }
        return BorrowSlowAsync(space, position, readAhead, processId);
    }

    private PageLease LeaseAt(AddressSpace space, CachePage page, long position)
    {
        int offset = (int)(position & (CachePage.Size - 1));
        int length = (int)Math.Min(CachePage.Size - offset, space.Size - position);
        return Lease(page, offset, length);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PageLease> BorrowSlowAsync(AddressSpace space, long position, ReadAheadState? readAhead, int processId)
    {
        long index = position >> CachePage.Shift;
        (CachePage? page, Errno error) = await GetUptodatePageAsync(space, index, 1, readAhead, processId);
        if (page is null)
            return new PageLease(error);
        PageLease lease = position < space.Size ? LeaseAt(space, page, position) : new PageLease(Errno.None);
        Unpin(page);
        return lease;
    }

    /// <summary>Where the read path puts cached bytes: <paramref name="at"/> is how many it has delivered before them.</summary>
    private interface IReadTarget
    {
        void Put(ReadOnlySpan<byte> bytes, int at);
    }

    /// <summary>read(2): the bytes are copied into the caller's buffer.</summary>
    private readonly struct CopyTarget(Memory<byte> destination) : IReadTarget
    {
        public void Put(ReadOnlySpan<byte> bytes, int at) => bytes.CopyTo(destination.Span[at..]);
    }

    /// <summary>splice/sendfile: the bytes are handed over where they lie.</summary>
    private readonly struct SinkTarget(IPageSpanSink sink) : IReadTarget
    {
        public void Put(ReadOnlySpan<byte> bytes, int at) => sink.Write(bytes);
    }

    /// <summary>
    /// The read path for both targets: delivers up to <paramref name="count"/> bytes at <paramref name="position"/>
    /// (stopping at the space's size) in order, synchronously while pages are cached, then waiting for reads.
    /// </summary>
    private ValueTask<CacheResult> DeliverAsync<TTarget>(AddressSpace space, long position, int count, TTarget target,
        ReadAheadState? readAhead, int processId)
        where TTarget : struct, IReadTarget
    {
        int delivered = DeliverCached(space, position, count, target, 0, readAhead, processId);
        long end = Math.Min(space.Size, position + count);
        if (position + delivered >= end)
        {
            if (delivered > 0 && readAhead is not null)
                readAhead.PreviousPosition = position + delivered - 1;
            return new ValueTask<CacheResult>(new CacheResult(delivered));
        }
        return DeliverSlowAsync(space, position, count, target, readAhead, processId, delivered);
    }

    /// <summary>
    /// The hit path: consecutive up-to-date pages from <paramref name="position"/> + <paramref name="at"/>, runs of
    /// adjacent frames delivered as one span; stops at the first page that needs I/O and returns the bytes delivered.
    /// Nothing runs in the simulation meanwhile, so a run's pages cannot go away before it is delivered; a run is
    /// delivered before asynchronous read-ahead starts, which may reclaim pages.
    /// </summary>
    private int DeliverCached<TTarget>(AddressSpace space, long position, int count, TTarget target, int at,
        ReadAheadState? readAhead, int processId)
        where TTarget : struct, IReadTarget
    {
        long end = Math.Min(space.Size, position + count);
        position += at;
        long previousIndex = readAhead?.PreviousIndex ?? -1;
        int delivered = at;
        CachePage? run = null;
        int runOffset = 0, runLength = 0, runAt = 0;
        while (position < end)
        {
            long index = position >> CachePage.Shift;
            CachePage? page = space.Pages.Find(index);
            if (page is null || !page.Is(PageFlags.Uptodate))
                break;
            if (page.Is(PageFlags.ReadAheadMarker))
            {
                Deliver(target, run, runOffset, runLength, runAt);
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
                Deliver(target, run, runOffset, runLength, runAt);
                (run, runOffset, runLength, runAt) = (page, offset, chunk, delivered);
            }
            Statistics.Hits++;
            // Re-reading the page the last read ended in is one access, not two (filemap_read's pos_same_folio).
            if (index != previousIndex)
                MarkAccessed(page);
            previousIndex = index;
            delivered += chunk;
            position += chunk;
        }
        Deliver(target, run, runOffset, runLength, runAt);
        return delivered - at;
    }

    private static void Deliver<TTarget>(TTarget target, CachePage? run, int offset, int length, int at)
        where TTarget : struct, IReadTarget
    {
        if (run is not null && length > 0)
            target.Put(run.FrameRun(offset, length), at);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult> DeliverSlowAsync<TTarget>(AddressSpace space, long position, int count, TTarget target,
        ReadAheadState? readAhead, int processId, int delivered)
        where TTarget : struct, IReadTarget
    {
        while (true)
        {
            long at = position + delivered;
            long end = Math.Min(space.Size, position + count);
            if (at >= end)
                break;
            long index = at >> CachePage.Shift;
            int requestPages = (int)(((end - 1) >> CachePage.Shift) - index + 1);
            (CachePage? page, Errno error) = await GetUptodatePageAsync(space, index, requestPages, readAhead, processId);
            if (page is null)
            {
                if (delivered > 0)
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
                    target.Put(page.Bytes.Slice(offset, chunk), delivered);
                MarkAccessed(page);
            }
            finally
            {
                Unpin(page);
            }
            delivered += chunk;
            if (chunk == 0)
                break;
            delivered += DeliverCached(space, position, count, target, delivered, readAhead, processId);
        }
        if (delivered > 0 && readAhead is not null)
            readAhead.PreviousPosition = position + delivered - 1;
        return new CacheResult(delivered);
    }

    /// <summary>
    /// The page at <paramref name="index"/>, up to date and pinned (the caller unpins), reading it - and a read-ahead
    /// window around it - when missing; null and the errno when the read failed or no page could be had.
    /// </summary>
    private async ValueTask<(CachePage? Page, Errno Error)> GetUptodatePageAsync(AddressSpace space, long index, int requestPages,
        ReadAheadState? readAhead, int processId)
    {
        bool retried = false;
        while (true)
        {
            CachePage? page = space.Pages.Find(index);
            if (page is null)
            {
                Statistics.Misses++;
                SynchronousReadAhead(space, index, requestPages, readAhead, processId);
                page = space.Pages.Find(index);
                if (page is null)
                {
                    page = await AllocatePageAsync(space.Name, processId);
                    if (page is null)
                        return (null, Errno.ENOMEM);
                    if (space.Pages.Find(index) is not null || !space.IsLive)
                    {
                        Pool.Return(page);
                        continue;
                    }
                    StartRead(space, page, index, BioFlags.Sync, processId);
                }
            }
            else if (page.Is(PageFlags.ReadAheadMarker) && page.Is(PageFlags.Uptodate))
            {
                HitReadAheadMarker(space, page, readAhead, requestPages, processId);
            }
            Pin(page);
            while (page.Is(PageFlags.Locked))
                await WaitOnPageAsync(page);
            if (!page.InCache || page.Owner != space)
            {
                Unpin(page);
                continue;
            }
            if (page.Is(PageFlags.Uptodate))
                return (page, Errno.None);
            Errno error = page.LastError == Errno.None ? Errno.EIO : page.LastError;
            if (retried)
            {
                Unpin(page);
                return (null, error);
            }
            // A failed earlier read (or a page a read never filled): lock it and read it once more (filemap's retry).
            retried = true;
            page.Set(PageFlags.Locked);
            PageBatch batch = RentBatch(space, isWrite: false, BioFlags.Sync, processId);
            batch.Add(page);
            Statistics.PagesRead++;
            SubmitOrReturn(batch);
            Unpin(page);
        }
    }

    private void StartRead(AddressSpace space, CachePage page, long index, BioFlags flags, int processId)
    {
        AddToCache(space, page, index, PageFlags.Locked);
        PageBatch batch = RentBatch(space, isWrite: false, flags, processId);
        batch.Add(page);
        Statistics.PagesRead++;
        SubmitOrReturn(batch);
    }

    private long LastPageIndex(AddressSpace space) => space.Size == 0 ? -1 : (space.Size - 1) >> CachePage.Shift;

    /// <summary>
    /// A miss (page_cache_sync_ra / ondemand_readahead): a sequential miss opens (or continues) a window and marks its
    /// asynchronous tail; a random miss reads just the requested pages.
    /// </summary>
    private void SynchronousReadAhead(AddressSpace space, long index, int requestPages, ReadAheadState? readAhead, int processId)
    {
        if (readAhead is null || readAhead.MaxPages == 0)
        {
            ReadWindow(space, index, requestPages, -1, BioFlags.Sync, processId);
            return;
        }
        int maxPages = MaxWindowPages(space, readAhead, requestPages);
        long previous = readAhead.PreviousIndex;
        bool sequential = index == 0 || (previous >= 0 && index >= previous && index - previous <= 1);
        if (readAhead.Size > 0 && index == readAhead.Start + readAhead.Size)
        {
            readAhead.Start = index;
            readAhead.Size = ReadAheadState.NextSize(readAhead.Size, maxPages);
            readAhead.AsyncSize = readAhead.Size;
        }
        else if (sequential)
        {
            readAhead.Start = index;
            readAhead.Size = ReadAheadState.InitialSize(requestPages, maxPages);
            readAhead.AsyncSize = readAhead.Size > requestPages ? readAhead.Size - requestPages : readAhead.Size;
        }
        else
        {
            ReadWindow(space, index, requestPages, -1, BioFlags.Sync, processId);
            return;
        }
        int count = Math.Max(readAhead.Size, requestPages);
        ReadWindow(space, readAhead.Start, count, readAhead.MarkerIndex, BioFlags.Sync, processId);
    }

    /// <summary>The reader reached the marker: the next window goes out asynchronously, twice (or four times) larger.</summary>
    private void HitReadAheadMarker(AddressSpace space, CachePage page, ReadAheadState? readAhead, int requestPages, int processId)
    {
        page.Clear(PageFlags.ReadAheadMarker);
        if (readAhead is null || readAhead.MaxPages == 0)
            return;
        int maxPages = MaxWindowPages(space, readAhead, requestPages);
        if (page.Index == readAhead.MarkerIndex && readAhead.Size > 0)
        {
            readAhead.Start += readAhead.Size;
            readAhead.Size = ReadAheadState.NextSize(readAhead.Size, maxPages);
        }
        else
        {
            // Someone else's marker (another reader, or a window we lost track of): start afresh from here.
            readAhead.Start = page.Index + 1;
            readAhead.Size = ReadAheadState.InitialSize(requestPages, maxPages);
        }
        readAhead.AsyncSize = readAhead.Size;
        Statistics.AsyncReadAheadWindows++;
        ReadWindow(space, readAhead.Start, readAhead.Size, readAhead.MarkerIndex, BioFlags.ReadAhead, processId);
    }

    /// <summary>
    /// ractl_max_pages: the window's limit is the file's ra_pages, but a read larger than that may be read ahead in
    /// windows up to its own size, bounded by the device's largest I/O (io_pages) - so a 1 MiB read(2) on a disk whose
    /// max_sectors_kb is 1280 goes out as 1 MiB bios rather than 128 KiB ones.
    /// </summary>
    private static int MaxWindowPages(AddressSpace space, ReadAheadState readAhead, int requestPages)
    {
        int maxPages = readAhead.MaxPages;
        if (requestPages > maxPages)
        {
            int ioPages = space.Operations.IoPages;
            if (ioPages > maxPages)
                maxPages = Math.Min(requestPages, ioPages);
        }
        return maxPages;
    }

    /// <summary>
    /// Reads the missing pages of [start, start+count) clipped to the data, in batches of consecutive pages; stops at
    /// the first page it cannot get without waiting (read-ahead never blocks on reclaim).
    /// </summary>
    private void ReadWindow(AddressSpace space, long start, int count, long markerIndex, BioFlags flags, int processId)
    {
        long last = Math.Min(LastPageIndex(space), start + count - 1);
        PageBatch batch = RentBatch(space, isWrite: false, flags, processId);
        for (long index = start; index <= last; index++)
        {
            if (space.Pages.Find(index) is not null)
            {
                SubmitOrReturn(batch);
                batch = RentBatch(space, isWrite: false, flags, processId);
                continue;
            }
            if (!TryAllocatePage(space.Name, out CachePage page))
                break;
            AddToCache(space, page, index, index == markerIndex ? PageFlags.Locked | PageFlags.ReadAheadMarker : PageFlags.Locked);
            if (batch.IsFull)
            {
                SubmitOrReturn(batch);
                batch = RentBatch(space, isWrite: false, flags, processId);
            }
            batch.Add(page);
            Statistics.PagesRead++;
            if (index != start)
                Statistics.ReadAheadPages++;
        }
        SubmitOrReturn(batch);
    }
}
