namespace Hardware.Vfs.Cache;

// Helpers for the buffer cache's coherence with data moved around it (file blocks a filesystem reads and writes
// with zero-copy bios from file pages) and for forgetting freed blocks (bforget).
public sealed partial class PageCache
{
    /// <summary>
    /// Waits until <paramref name="page"/> is neither being read nor written back; true when it is still cached in
    /// <paramref name="space"/> afterwards (the caller may then change it without an await in between).
    /// </summary>
    internal async ValueTask<bool> WaitPageIdleAsync(CachePage page, AddressSpace space)
    {
        Pin(page);
        while ((page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0)
            await WaitOnPageAsync(page);
        bool cached = page.InCache && page.Owner == space;
        Unpin(page);
        return cached;
    }

    /// <summary>Marks a cached page dirty that the caller changed in place without holding a lease on it.</summary>
    internal void MarkCachedPageDirty(CachePage page)
    {
        if (!page.InCache)
            throw new InvalidOperationException($"{page} is dirtied while not cached");
        MarkDirty(page);
    }

    /// <summary>Drops an idle, unpinned page from its space (dirty or not: the caller knows its bytes are dead).</summary>
    internal bool TryDropPage(CachePage page)
    {
        if (!page.InCache || page.LeaseCount != 0 || (page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0)
            return false;
        RemoveFromCache(page);
        return true;
    }
}
