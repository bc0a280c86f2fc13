namespace Hardware.Vfs.Cache;

/// <summary>
/// The pages of one address space that are dirty or under writeback, kept in index order (the page cache's DIRTY and
/// WRITEBACK tags): writeback walks them lowest index first and a range wait finds its first busy page by binary
/// search, neither walking nor sorting the whole page index. A page joins when it is dirtied and leaves when its
/// writeback ends clean or it leaves the cache; an index holds at most one page, so the index orders the set.
/// </summary>
internal sealed class WritebackPageSet
{
    private CachePage[] _pages = new CachePage[16];

    public int Count { get; private set; }

    public CachePage this[int position] => _pages[position];

    public void Add(CachePage page)
    {
        if (page.InWritebackSet)
            return;
        int at = LowerBound(page.Index);
        if (Count == _pages.Length)
            Array.Resize(ref _pages, _pages.Length * 2);
        Array.Copy(_pages, at, _pages, at + 1, Count - at);
        _pages[at] = page;
        Count++;
        page.InWritebackSet = true;
    }

    public void Remove(CachePage page)
    {
        if (!page.InWritebackSet)
            return;
        int at = LowerBound(page.Index);
        if (at == Count || !ReferenceEquals(_pages[at], page))
            throw new InvalidOperationException($"{page} is marked as tagged but is not in its space's writeback set");
        Count--;
        Array.Copy(_pages, at + 1, _pages, at, Count - at);
        _pages[Count] = null!;
        page.InWritebackSet = false;
    }

    /// <summary>The first page at or after <paramref name="firstIndex"/> and at or before <paramref name="lastIndex"/>, or null.</summary>
    public CachePage? FirstIn(long firstIndex, long lastIndex)
    {
        int at = LowerBound(firstIndex);
        return at < Count && _pages[at].Index <= lastIndex ? _pages[at] : null;
    }

    /// <summary>The position of the first page whose index is at least <paramref name="index"/> (<see cref="Count"/> when none).</summary>
    public int PositionOf(long index) => LowerBound(index);

    private int LowerBound(long index)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_pages[middle].Index < index)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
