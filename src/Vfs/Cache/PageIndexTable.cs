namespace Hardware.Vfs.Cache;

/// <summary>
/// An address space's page index: open addressing with linear probing and backward-shift deletion (no tombstones),
/// keyed by page index. Lookup is O(1) and allocation-free; the table only grows (doubling, load at most 1/2), so
/// in steady state inserts and removals never allocate - unlike a Dictionary's per-entry growth.
/// </summary>
internal sealed class PageIndexTable
{
    private CachePage?[] _slots = new CachePage?[16];
    private int _mask = 15;

    public int Count { get; private set; }

    public int Capacity => _slots.Length;

    public CachePage? Find(long index)
    {
        CachePage?[] slots = _slots;
        int slot = Hash(index) & _mask;
        while (true)
        {
            CachePage? page = slots[slot];
            if (page is null)
                return null;
            if (page.Index == index)
                return page;
            slot = (slot + 1) & _mask;
        }
    }

    public void Add(CachePage page)
    {
        if ((Count + 1) * 2 > _slots.Length)
            Grow();
        Insert(_slots, _mask, page);
        Count++;
    }

    public bool Remove(CachePage page)
    {
        int slot = Hash(page.Index) & _mask;
        while (true)
        {
            CachePage? at = _slots[slot];
            if (at is null)
                return false;
            if (ReferenceEquals(at, page))
                break;
            slot = (slot + 1) & _mask;
        }
        // Backward shift: pull later entries of the probe run into the hole so lookups never stop early.
        int hole = slot;
        int next = (hole + 1) & _mask;
        while (_slots[next] is { } candidate)
        {
            int home = Hash(candidate.Index) & _mask;
            bool movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable)
            {
                _slots[hole] = candidate;
                hole = next;
            }
            next = (next + 1) & _mask;
        }
        _slots[hole] = null;
        Count--;
        return true;
    }

    /// <summary>The largest table an emptied index keeps for its next owner; a larger one is given back.</summary>
    public const int KeptCapacity = 1024;

    /// <summary>An empty index for a new owner: the table is kept (it is all empty slots) unless it grew past <see cref="KeptCapacity"/>.</summary>
    public void Reset()
    {
        if (Count != 0)
            throw new InvalidOperationException($"page index reset with {Count} pages in it");
        if (_slots.Length > KeptCapacity)
        {
            _slots = new CachePage?[16];
            _mask = 15;
        }
    }

    /// <summary>The page in table slot <paramref name="slot"/> (0 .. <see cref="Capacity"/> - 1), or null; for scans that remove as they go.</summary>
    public CachePage? SlotAt(int slot) => _slots[slot];

    /// <summary>Copies the pages into <paramref name="into"/> (cleared first); for scans off the hot path.</summary>
    public void CopyTo(List<CachePage> into)
    {
        into.Clear();
        foreach (CachePage? page in _slots)
        {
            if (page is not null)
                into.Add(page);
        }
    }

    private void Grow()
    {
        var slots = new CachePage?[_slots.Length * 2];
        int mask = slots.Length - 1;
        foreach (CachePage? page in _slots)
        {
            if (page is not null)
                Insert(slots, mask, page);
        }
        _slots = slots;
        _mask = mask;
    }

    private static void Insert(CachePage?[] slots, int mask, CachePage page)
    {
        int slot = Hash(page.Index) & mask;
        while (slots[slot] is not null)
            slot = (slot + 1) & mask;
        slots[slot] = page;
    }

    // Fibonacci hashing spreads sequential indices (the common case) across the table.
    private static int Hash(long index) => (int)((ulong)index * 0x9E3779B97F4A7C15UL >> 32);
}
