namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// An intrusive doubly linked FIFO of requests, threaded through <see cref="Request.ElevatorNext"/> and
/// <see cref="Request.ElevatorPrevious"/>, so adding and removing never allocates. A request is on at most one
/// list at a time; the caller knows which (the links carry no owner).
/// </summary>
public sealed class RequestList
{
    public Request? First { get; private set; }

    public Request? Last { get; private set; }

    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    public void AddLast(Request request)
    {
        request.ElevatorPrevious = Last;
        request.ElevatorNext = null;
        if (Last is null)
            First = request;
        else
            Last.ElevatorNext = request;
        Last = request;
        Count++;
    }

    public void AddFirst(Request request)
    {
        request.ElevatorNext = First;
        request.ElevatorPrevious = null;
        if (First is null)
            Last = request;
        else
            First.ElevatorPrevious = request;
        First = request;
        Count++;
    }

    /// <summary>Links <paramref name="request"/> right behind <paramref name="anchor"/>, which is on this list.</summary>
    public void InsertAfter(Request anchor, Request request)
    {
        Request? after = anchor.ElevatorNext;
        request.ElevatorPrevious = anchor;
        request.ElevatorNext = after;
        anchor.ElevatorNext = request;
        if (after is null)
            Last = request;
        else
            after.ElevatorPrevious = request;
        Count++;
    }

    /// <summary>Unlinks a request that is on this list.</summary>
    public void Remove(Request request)
    {
        Request? previous = request.ElevatorPrevious;
        Request? next = request.ElevatorNext;
        if (previous is null)
            First = next;
        else
            previous.ElevatorNext = next;
        if (next is null)
            Last = previous;
        else
            next.ElevatorPrevious = previous;
        request.ElevatorNext = null;
        request.ElevatorPrevious = null;
        Count--;
    }

    public Request? RemoveFirst()
    {
        Request? first = First;
        if (first is not null)
            Remove(first);
        return first;
    }

    /// <summary>Whether <paramref name="request"/> is on this list (a walk: for checks, not hot paths).</summary>
    public bool Contains(Request request)
    {
        for (Request? r = First; r is not null; r = r.ElevatorNext)
        {
            if (ReferenceEquals(r, request))
                return true;
        }
        return false;
    }
}
