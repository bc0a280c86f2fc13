namespace Hardware.BlockLayer;

/// <summary>An intrusive doubly linked list of request contexts; a context is on at most one list at a time.</summary>
internal sealed class RequestContextList
{
    public RequestContext? Head { get; private set; }

    public RequestContext? Tail { get; private set; }

    public int Count { get; private set; }

    public void AddLast(RequestContext item)
    {
        Claim(item);
        item.Previous = Tail;
        item.Next = null;
        if (Tail is null)
            Head = item;
        else
            Tail.Next = item;
        Tail = item;
        Count++;
    }

    public void AddFirst(RequestContext item)
    {
        Claim(item);
        item.Previous = null;
        item.Next = Head;
        if (Head is null)
            Tail = item;
        else
            Head.Previous = item;
        Head = item;
        Count++;
    }

    public RequestContext? RemoveFirst()
    {
        RequestContext? first = Head;
        if (first is not null)
            Remove(first);
        return first;
    }

    public void Remove(RequestContext item)
    {
        if (!ReferenceEquals(item.List, this))
            throw new InvalidOperationException($"{item} is not on this list");
        if (item.Previous is null)
            Head = item.Next;
        else
            item.Previous.Next = item.Next;
        if (item.Next is null)
            Tail = item.Previous;
        else
            item.Next.Previous = item.Previous;
        item.Next = null;
        item.Previous = null;
        item.List = null;
        Count--;
    }

    private void Claim(RequestContext item)
    {
        if (item.List is not null)
            throw new InvalidOperationException($"{item} is already on a list");
        item.List = this;
    }
}
