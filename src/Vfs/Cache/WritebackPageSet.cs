namespace Hardware.Vfs.Cache;

/// <summary>
/// The pages of one address space that are dirty or under writeback, kept in index order (the page cache's DIRTY and
/// WRITEBACK tags): writeback walks them lowest index first and a range wait finds its first busy page by binary
/// search, neither walking nor sorting the whole page index. A page joins when it is dirtied and leaves when its
/// writeback ends clean or it leaves the cache; an index holds at most one page, so the index orders the set. Each
/// entry keeps its page's index and dirty bit beside it, so a walk skips the pages under writeback without touching
/// them (a cache miss each).
/// </summary>
internal sealed class WritebackPageSet
{
    private struct Entry
    {
        public long Index;
        public CachePage Page;
        public bool Dirty;
    }

    private Entry[] _entries = new Entry[16];

    public int Count { get; private set; }

    public CachePage this[int position] => _entries[position].Page;

    /// <summary>Whether the page at <paramref name="position"/> is dirty (the DIRTY tag), as the set was last told.</summary>
    public bool IsDirtyAt(int position) => _entries[position].Dirty;

    /// <summary>A page was dirtied: it joins the set, or (redirtied under writeback) its entry is tagged dirty again.</summary>
    public void MarkDirty(CachePage page)
    {
        int at = LowerBound(page.Index);
        if (page.InWritebackSet)
        {
            _entries[at].Dirty = true;
            return;
        }
        if (Count == _entries.Length)
            Array.Resize(ref _entries, _entries.Length * 2);
        Array.Copy(_entries, at, _entries, at + 1, Count - at);
        _entries[at] = new Entry { Index = page.Index, Page = page, Dirty = true };
        Count++;
        page.InWritebackSet = true;
    }

    /// <summary>The page at <paramref name="position"/> started writeback: no longer dirty, still in the set.</summary>
    public void MarkCleanAt(int position) => _entries[position].Dirty = false;

    public void Remove(CachePage page)
    {
        if (!page.InWritebackSet)
            return;
        int at = LowerBound(page.Index);
        if (at == Count || !ReferenceEquals(_entries[at].Page, page))
            throw new InvalidOperationException($"{page} is marked as tagged but is not in its space's writeback set");
        Count--;
        Array.Copy(_entries, at + 1, _entries, at, Count - at);
        _entries[Count] = default;
        page.InWritebackSet = false;
    }

    /// <summary>The first page at or after <paramref name="firstIndex"/> and at or before <paramref name="lastIndex"/>, or null.</summary>
    public CachePage? FirstIn(long firstIndex, long lastIndex)
    {
        int at = LowerBound(firstIndex);
        return at < Count && _entries[at].Index <= lastIndex ? _entries[at].Page : null;
    }

    /// <summary>The position of the first page whose index is at least <paramref name="index"/> (<see cref="Count"/> when none).</summary>
    public int PositionOf(long index) => LowerBound(index);

    private int LowerBound(long index)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_entries[middle].Index < index)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
