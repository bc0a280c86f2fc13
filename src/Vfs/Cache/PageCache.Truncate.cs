using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// Truncation and invalidation (truncate_inode_pages_range / invalidate_inode_pages2_range).
public sealed partial class PageCache
{
    /// <summary>
    /// Sets the size to <paramref name="newSize"/>: pages wholly past it are dropped (dirty ones too: their data is
    /// gone), waiting for their I/O; the tail of the last partial page is zeroed so a later extension reads zeros.
    /// </summary>
    public async ValueTask TruncateAsync(AddressSpace space, long newSize)
    {
        CheckSpace(space);
        ArgumentOutOfRangeException.ThrowIfNegative(newSize);
        space.Size = newSize;
        long firstDropped = (newSize + CachePage.Size - 1) >> CachePage.Shift;
        if ((newSize & (CachePage.Size - 1)) != 0 && space.Pages.Find(newSize >> CachePage.Shift) is { } tail && tail.Is(PageFlags.Uptodate))
            tail.Bytes[(int)(newSize & (CachePage.Size - 1))..].Clear();
        await DropPagesFromAsync(space, firstDropped);
    }

    private async ValueTask DropPagesFromAsync(AddressSpace space, long firstIndex)
    {
        var pages = new List<CachePage>();
        space.Pages.CopyTo(pages);
        foreach (CachePage page in pages)
        {
            if (page.Index < firstIndex)
                continue;
            Pin(page);
            while ((page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0)
                await WaitOnPageAsync(page);
            Unpin(page);
            if (page.InCache && page.Owner == space)
                RemoveFromCache(page);
        }
    }

    /// <summary>
    /// O_DIRECT: writes back and waits for any cached pages overlapping the range, moves the data between the device
    /// and the caller's guest memory without the cache, and after a write drops the overlapping pages so the next
    /// buffered read sees the new data. <paramref name="position"/> and the segment lengths must be multiples of 512.
    /// Reads stop at the size; writes extend it. Returns the bytes moved.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CacheResult> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId = 0)
    {
        CheckSpace(space);
        if (op is not (BioOp.Read or BioOp.Write))
            return new CacheResult(0, Errno.EINVAL);
        long length = 0;
        foreach (BioSegment segment in segments.Span)
        {
            if (segment.Length <= 0 || segment.Length % Bio.SectorSize != 0)
                return new CacheResult(0, Errno.EINVAL);
            length += segment.Length;
        }
        if (position < 0 || position % Bio.SectorSize != 0 || length == 0 || length > int.MaxValue)
            return new CacheResult(0, Errno.EINVAL);
        if (op == BioOp.Read && position >= space.Size)
            return new CacheResult(0);
        long firstIndex = position >> CachePage.Shift;
        long lastIndex = (position + length - 1) >> CachePage.Shift;
        Errno error = await WriteAndWaitAsync(space, firstIndex, lastIndex, processId);
        if (error != Errno.None)
            return new CacheResult(0, error);
        Statistics.DirectIos++;
        error = await space.Operations.DirectIOAsync(space, op, position, segments, processId);
        if (error != Errno.None)
            return new CacheResult(0, error);
        if (op == BioOp.Read)
            return new CacheResult((int)Math.Min(length, space.Size - position));
        await InvalidateRangeAsync(space, firstIndex, lastIndex);
        if (position + length > space.Size)
            space.Size = position + length;
        return new CacheResult((int)length);
    }

    private async ValueTask InvalidateRangeAsync(AddressSpace space, long firstIndex, long lastIndex)
    {
        var pages = new List<CachePage>();
        space.Pages.CopyTo(pages);
        foreach (CachePage page in pages)
        {
            if (page.Index < firstIndex || page.Index > lastIndex)
                continue;
            Pin(page);
            while ((page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0)
                await WaitOnPageAsync(page);
            Unpin(page);
            if (page.InCache && page.Owner == space)
                RemoveFromCache(page);
        }
    }
}
