namespace Hardware.Vfs.Cache;

/// <summary>An intrusive doubly linked list of pages, oldest at the head: an LRU list that never allocates.</summary>
internal sealed class PageList(string name)
{
    public string Name { get; } = name;

    public CachePage? Head { get; private set; }

    public CachePage? Tail { get; private set; }

    public int Count { get; private set; }

    public void AddTail(CachePage page)
    {
        if (page.List is not null)
            throw new InvalidOperationException($"{page} is already on the {page.List.Name} list");
        page.List = this;
        page.LruPrevious = Tail;
        page.LruNext = null;
        if (Tail is null)
            Head = page;
        else
            Tail.LruNext = page;
        Tail = page;
        Count++;
    }

    public void Remove(CachePage page)
    {
        if (page.List != this)
            throw new InvalidOperationException($"{page} is not on the {Name} list");
        if (page.LruPrevious is null)
            Head = page.LruNext;
        else
            page.LruPrevious.LruNext = page.LruNext;
        if (page.LruNext is null)
            Tail = page.LruPrevious;
        else
            page.LruNext.LruPrevious = page.LruPrevious;
        page.LruPrevious = page.LruNext = null;
        page.List = null;
        Count--;
    }

    public void MoveToTail(CachePage page)
    {
        Remove(page);
        AddTail(page);
    }
}
