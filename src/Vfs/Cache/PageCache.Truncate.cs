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
        if (!CheckDirect(space, op, position, segments.Span, out long length, out CacheResult refused))
            return refused;
        Errno error = await WriteAndWaitAsync(space, position >> CachePage.Shift, (position + length - 1) >> CachePage.Shift, processId);
        if (error != Errno.None)
            return new CacheResult(0, error);
        Statistics.DirectIos++;
        error = await space.Operations.DirectIOAsync(space, op, position, segments, processId);
        return await EndDirectIO(space, op, position, length, error);
    }

    /// <summary>
    /// The first half of <see cref="DirectIOAsync"/> for a block device's own mapping (<see cref="BlockDeviceMapping"/>)
    /// with nothing to write back first, done without waiting: the checks, the pending write error, the accounting and
    /// the bio, submitted. False when the mapping is not a block device's or has dirty pages or pages under writeback
    /// (the caller uses <see cref="DirectIOAsync"/>, which waits for them). True with <paramref name="bio"/> null when
    /// <paramref name="result"/> is final (refused, at or past the end, or a pending write error); otherwise the caller
    /// waits on the bio's completion and passes its status to <see cref="EndDirectIO(AddressSpace, BioOp, long, long, Bio, Errno)"/>.
    /// </summary>
    internal bool TryBeginDirectIO(AddressSpace space, BioOp op, long position, ReadOnlySpan<BioSegment> segments, int processId,
        out Bio? bio, out long length, out CacheResult result)
    {
        bio = null;
        CheckSpace(space);
        if (space.Operations is not BlockDeviceMapping mapping || space.DirtyPages > 0 || space.WritebackPages > 0)
        {
            length = 0;
            result = default;
            return false;
        }
        if (!CheckDirect(space, op, position, segments, out length, out result))
            return true;
        // filemap_write_and_wait_range on a clean mapping: nothing to write or wait for, only the pending error.
        Errno error = space.PendingWriteError;
        space.PendingWriteError = Errno.None;
        if (error != Errno.None)
        {
            result = new CacheResult(0, error);
            return true;
        }
        Statistics.DirectIos++;
        bio = mapping.SubmitDirect(op, position, segments, processId);
        return true;
    }

    /// <summary>The second half of <see cref="TryBeginDirectIO"/>, once the bio completed with <paramref name="status"/>: the bio back to its pool, then as <see cref="EndDirectIO(AddressSpace, BioOp, long, long, Errno)"/>.</summary>
    internal ValueTask<CacheResult> EndDirectIO(AddressSpace space, BioOp op, long position, long length, Bio bio, Errno status)
    {
        ((BlockDeviceMapping)space.Operations).ReleaseDirect(bio);
        return EndDirectIO(space, op, position, length, status);
    }

    /// <summary>
    /// After the device moved the data: a read's byte count stops at the size; a write drops the cached pages it
    /// overlaps (waiting only when one is locked or under writeback) and extends the size.
    /// </summary>
    private ValueTask<CacheResult> EndDirectIO(AddressSpace space, BioOp op, long position, long length, Errno error)
    {
        if (error != Errno.None)
            return new(new CacheResult(0, error));
        if (op == BioOp.Read)
            return new(new CacheResult((int)Math.Min(length, space.Size - position)));
        long firstIndex = position >> CachePage.Shift;
        long lastIndex = (position + length - 1) >> CachePage.Shift;
        if (!AnyPageIn(space, firstIndex, lastIndex))
            return new(ExtendAfterDirectWrite(space, position, length));
        return InvalidateAfterDirectWriteAsync(space, position, length, firstIndex, lastIndex);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult> InvalidateAfterDirectWriteAsync(AddressSpace space, long position, long length, long firstIndex, long lastIndex)
    {
        await InvalidateRangeAsync(space, firstIndex, lastIndex);
        return ExtendAfterDirectWrite(space, position, length);
    }

    private static CacheResult ExtendAfterDirectWrite(AddressSpace space, long position, long length)
    {
        if (position + length > space.Size)
            space.Size = position + length;
        return new CacheResult((int)length);
    }

    /// <summary>The checks of O_DIRECT: a read or a write, sector-aligned, not empty; a read at or past the size moves nothing.</summary>
    private static bool CheckDirect(AddressSpace space, BioOp op, long position, ReadOnlySpan<BioSegment> segments, out long length, out CacheResult refused)
    {
        length = 0;
        refused = default;
        if (op is not (BioOp.Read or BioOp.Write))
        {
            refused = new CacheResult(0, Errno.EINVAL);
            return false;
        }
        foreach (BioSegment segment in segments)
        {
            if (segment.Length <= 0 || segment.Length % Bio.SectorSize != 0)
            {
                refused = new CacheResult(0, Errno.EINVAL);
                return false;
            }
            length += segment.Length;
        }
        if (position < 0 || position % Bio.SectorSize != 0 || length == 0 || length > int.MaxValue)
        {
            refused = new CacheResult(0, Errno.EINVAL);
            return false;
        }
        if (op == BioOp.Read && position >= space.Size)
        {
            refused = new CacheResult(0);
            return false;
        }
        return true;
    }

    /// <summary>Whether any page of [<paramref name="firstIndex"/>, <paramref name="lastIndex"/>] is cached (true when unsure: a long range of a non-empty mapping).</summary>
    private static bool AnyPageIn(AddressSpace space, long firstIndex, long lastIndex)
    {
        if (space.PageCount == 0)
            return false;
        if (lastIndex - firstIndex >= 64)
            return true;
        for (long index = firstIndex; index <= lastIndex; index++)
        {
            if (space.Pages.Find(index) is not null)
                return true;
        }
        return false;
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
