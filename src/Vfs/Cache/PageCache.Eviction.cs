using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// Eviction: Linux's two LRU lists. New pages enter the inactive list; a second access promotes a page to the active
// list, which is kept no larger than the inactive one. Reclaim scans the inactive list from its oldest page: pinned
// (leased, locked, under writeback) and dirty pages are rotated past, a Referenced page gets a second chance, the
// first clean unreferenced page is freed. A one-pass sequential scan therefore only ever churns the inactive list,
// and a working set touched twice stays on the active list.
public sealed partial class PageCache
{
    /// <summary>Takes a page from the pool, evicting a clean page if the pool is at its limit; no waiting.</summary>
    private bool TryAllocatePage(string renter, out CachePage page)
    {
        if (Pool.TryRent(renter, out page))
            return true;
        return EvictOne() && Pool.TryRent(renter, out page);
    }

    /// <summary>
    /// Takes a page, and when every cached page is dirty, writes back the oldest dirty ones and waits for a page to
    /// come free (direct reclaim). Null when every page is pinned: the cache cannot give one (ENOMEM).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CachePage?> AllocatePageAsync(string renter, int processId)
    {
        while (true)
        {
            if (TryAllocatePage(renter, out CachePage page))
                return page;
            CachePage? victim = OldestUnpinnedDirtyOrWriteback();
            if (victim is null)
                return null;
            Pin(victim);
            if (victim.Is(PageFlags.Dirty) && !victim.Is(PageFlags.Writeback))
                StartWriteback(victim.Owner!, long.MaxValue, BioFlags.None, processId, int.MaxValue);
            while (victim.Is(PageFlags.Writeback))
                await WaitOnPageAsync(victim);
            Unpin(victim);
        }
    }

    private CachePage? OldestUnpinnedDirtyOrWriteback()
    {
        for (PageList? list = _inactive; list is not null; list = list == _inactive ? _active : null)
        {
            for (CachePage? page = list.First; page is not null; page = PageList.Next(page))
            {
                if (page.LeaseCount == 0 && !page.Is(PageFlags.Locked) && !page.Owner!.Unevictable && (page.Flags & (PageFlags.Dirty | PageFlags.Writeback)) != 0)
                    return page;
            }
        }
        return null;
    }

    /// <summary>Frees one clean, unpinned page (shrink_inactive_list with second chance); false when none can go.</summary>
    private bool EvictOne()
    {
        BalanceLists();
        // Two passes over the inactive list (the first may only clear Referenced bits) before the active list ages.
        for (int pass = 0; pass < 4; pass++)
        {
            int scan = _inactive.Count;
            while (scan-- > 0 && _inactive.First is { } page)
            {
                if (IsPinned(page) || page.Is(PageFlags.Dirty) || page.Owner!.Unevictable)
                {
                    _inactive.MoveToLast(page);
                    continue;
                }
                if (page.Is(PageFlags.Referenced))
                {
                    page.Clear(PageFlags.Referenced);
                    _inactive.MoveToLast(page);
                    continue;
                }
                Statistics.Evictions++;
                RemoveFromCache(page);
                return true;
            }
            if (pass % 2 == 0)
                continue;
            // Nothing on the inactive list can go: age the active list into it and look again.
            int demote = Math.Max(1, _active.Count / 2);
            while (demote-- > 0 && _active.First is { } oldest)
            {
                _active.Remove(oldest);
                oldest.Clear(PageFlags.Active | PageFlags.Referenced);
                _inactive.AddLast(oldest);
            }
        }
        return false;
    }

    private static bool IsPinned(CachePage page) =>
        page.LeaseCount > 0 || page.Waiters is not null || (page.Flags & (PageFlags.Locked | PageFlags.Writeback)) != 0;
}
