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

    /// <summary>
    /// Drops every page at or past <paramref name="firstIndex"/>, scanning the index table in place (no copy of it):
    /// a page that can go is removed where it is found and its slot looked at again (the backward shift may have
    /// moved a later page into it); a locked page or one under writeback is waited for, after which the scan starts
    /// over, since the table may have changed meanwhile.
    /// </summary>
    private async ValueTask DropPagesFromAsync(AddressSpace space, long firstIndex)
    {
        PageIndexTable index = space.Pages;
        int slot = 0;
        while (index.Count > 0 && slot < index.Capacity)
        {
            CachePage? page = index.SlotAt(slot);
            if (page is null || page.Index < firstIndex)
            {
                slot++;
                continue;
            }
            if ((page.Flags & (PageFlags.Locked | PageFlags.Writeback)) == 0)
            {
                RemoveFromCache(page);
                continue;
            }
            Pin(page);
            while ((page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0)
                await WaitOnPageAsync(page);
            Unpin(page);
            if (page.InCache && page.Owner == space)
                RemoveFromCache(page);
            slot = 0;
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
