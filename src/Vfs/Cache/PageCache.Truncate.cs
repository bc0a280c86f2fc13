using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// Truncation and invalidation (truncate_inode_pages_range / invalidate_inode_pages2_range); O_DIRECT is in PageCache.Direct.cs.
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
