using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// The buffered write path (generic_perform_write): copy into cached pages, mark them dirty, extend the size, and
// throttle a writer that has pushed the dirty share past dirty_ratio (balance_dirty_pages).
public sealed partial class PageCache
{
    /// <summary>
    /// Copies <paramref name="source"/> into the cache at <paramref name="position"/> and marks the pages dirty. A
    /// partial write to a page not yet cached reads it first; a whole-page overwrite or a page past the end of the
    /// data needs no read.
    /// </summary>
    public ValueTask<CacheResult> WriteAsync(AddressSpace space, long position, ReadOnlyMemory<byte> source, int processId = 0)
    {
        CheckSpace(space);
        if (position < 0 || position > long.MaxValue - source.Length)
            return new ValueTask<CacheResult>(new CacheResult(0, Errno.EINVAL));
        int copied = CopyIntoCached(space, position, source.Span);
        if (copied == source.Length && !OverDirtyLimit)
            return new ValueTask<CacheResult>(new CacheResult(copied));
        return WriteSlowAsync(space, position, source, processId, copied);
    }

    private int CopyIntoCached(AddressSpace space, long position, ReadOnlySpan<byte> source)
    {
        int copied = 0;
        while (copied < source.Length)
        {
            long at = position + copied;
            CachePage? page = space.Pages.Find(at >> CachePage.Shift);
            if (page is null || !page.Is(PageFlags.Uptodate) || page.Is(PageFlags.Locked))
                break;
            int offset = (int)(at & (CachePage.Size - 1));
            int chunk = Math.Min(CachePage.Size - offset, source.Length - copied);
            source.Slice(copied, chunk).CopyTo(page.Bytes.Slice(offset, chunk));
            MarkDirty(page);
            MarkAccessed(page);
            copied += chunk;
            if (at + chunk > space.Size)
                space.Size = at + chunk;
        }
        return copied;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult> WriteSlowAsync(AddressSpace space, long position, ReadOnlyMemory<byte> source, int processId, int copied)
    {
        while (copied < source.Length)
        {
            long at = position + copied;
            long index = at >> CachePage.Shift;
            int offset = (int)(at & (CachePage.Size - 1));
            int chunk = Math.Min(CachePage.Size - offset, source.Length - copied);
            CachePage? page = space.Pages.Find(index);
            if (page is null)
            {
                page = await AllocatePageAsync(space.Name, processId);
                if (page is null)
                    return copied > 0 ? new CacheResult(copied) : new CacheResult(0, Errno.ENOMEM);
                if (space.Pages.Find(index) is not null || !space.IsLive)
                {
                    Pool.Return(page);
                    continue;
                }
                long pageStart = index << CachePage.Shift;
                if (chunk == CachePage.Size || pageStart >= space.Size)
                {
                    // Nothing on disk to keep: zero what the write does not cover, no read.
                    AddToCache(space, page, index, PageFlags.Uptodate);
                    if (chunk < CachePage.Size)
                        page.Bytes.Clear();
                }
                else
                {
                    StartRead(space, page, index, BioFlags.Sync, processId);
                }
            }
            Pin(page);
            while (page.Is(PageFlags.Locked))
                await WaitOnPageAsync(page);
            if (!page.InCache || page.Owner != space)
            {
                Unpin(page);
                continue;
            }
            if (!page.Is(PageFlags.Uptodate))
            {
                if (chunk < CachePage.Size)
                {
                    Errno error = page.LastError == Errno.None ? Errno.EIO : page.LastError;
                    Unpin(page);
                    return copied > 0 ? new CacheResult(copied) : new CacheResult(0, error);
                }
                page.Set(PageFlags.Uptodate);
                page.Clear(PageFlags.Error);
            }
            source.Span.Slice(copied, chunk).CopyTo(page.Bytes.Slice(offset, chunk));
            MarkDirty(page);
            MarkAccessed(page);
            Unpin(page);
            copied += chunk;
            if (at + chunk > space.Size)
                space.Size = at + chunk;
            copied += CopyIntoCached(space, position + copied, source.Span[copied..]);
        }
        await BalanceDirtyPagesAsync(processId);
        return new CacheResult(copied);
    }
}
