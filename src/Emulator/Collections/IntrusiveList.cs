using System.Collections;

namespace Hardware.Emulator.Collections;

/// <summary>
/// One list membership's links, embedded in the item as a field (Linux's <c>struct list_head</c>): adding and
/// removing never allocates. <see cref="Owner"/> names the list the item is on, so an item cannot be on two lists
/// through the same links and removal from the wrong list is caught.
/// </summary>
public struct ListLinks<T>
    where T : class
{
    internal T? NextItem;
    internal T? PreviousItem;
    internal object? OwnerList;

    public readonly T? Next => NextItem;

    public readonly T? Previous => PreviousItem;

    /// <summary>The list the item is on through these links, or null.</summary>
    public readonly object? Owner => OwnerList;

    public readonly bool IsLinked => OwnerList is not null;
}

/// <summary>
/// Says where an item keeps the links of one list (Linux's <c>list_entry</c> member name). A struct implementing it
/// is a type argument of <see cref="IntrusiveList{T, TLinks}"/>, so the JIT specializes the list for it and the
/// link access compiles to a field reference.
/// </summary>
public interface IListLinksAccessor<T>
    where T : class
{
    static abstract ref ListLinks<T> Links(T item);
}

/// <summary>
/// A doubly linked list threaded through links embedded in its items (see <see cref="ListLinks{T}"/>): FIFOs, LRU
/// lists and wait queues that never allocate. An item may be on several lists at once through different links.
/// Subclasses name a list's use (and may override <see cref="object.ToString"/> for the misuse messages).
/// </summary>
public class IntrusiveList<T, TLinks> : IReadOnlyCollection<T>
    where T : class
    where TLinks : struct, IListLinksAccessor<T>
{
    public T? First { get; private set; }

    public T? Last { get; private set; }

    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>The item after <paramref name="item"/> on its list (walk with <c>for (x = First; x != null; x = Next(x))</c>).</summary>
    public static T? Next(T item) => TLinks.Links(item).NextItem;

    public static T? Previous(T item) => TLinks.Links(item).PreviousItem;

    /// <summary>Whether <paramref name="item"/> is on this list (constant time: its links name their list).</summary>
    public bool Contains(T item) => ReferenceEquals(TLinks.Links(item).OwnerList, this);

    public void AddLast(T item)
    {
        ref ListLinks<T> links = ref Claim(item);
        links.PreviousItem = Last;
        links.NextItem = null;
        if (Last is null)
            First = item;
        else
            TLinks.Links(Last).NextItem = item;
        Last = item;
        Count++;
    }

    public void AddFirst(T item)
    {
        ref ListLinks<T> links = ref Claim(item);
        links.PreviousItem = null;
        links.NextItem = First;
        if (First is null)
            Last = item;
        else
            TLinks.Links(First).PreviousItem = item;
        First = item;
        Count++;
    }

    /// <summary>Links <paramref name="item"/> right behind <paramref name="anchor"/>, which is on this list.</summary>
    public void InsertAfter(T anchor, T item)
    {
        ref ListLinks<T> anchorLinks = ref TLinks.Links(anchor);
        if (!ReferenceEquals(anchorLinks.OwnerList, this))
            throw new InvalidOperationException($"{anchor} is not on {this}");
        ref ListLinks<T> links = ref Claim(item);
        T? after = anchorLinks.NextItem;
        links.PreviousItem = anchor;
        links.NextItem = after;
        anchorLinks.NextItem = item;
        if (after is null)
            Last = item;
        else
            TLinks.Links(after).PreviousItem = item;
        Count++;
    }

    /// <summary>Unlinks an item that is on this list.</summary>
    public void Remove(T item)
    {
        ref ListLinks<T> links = ref TLinks.Links(item);
        if (!ReferenceEquals(links.OwnerList, this))
            throw new InvalidOperationException($"{item} is not on {this}");
        T? previous = links.PreviousItem;
        T? next = links.NextItem;
        if (previous is null)
            First = next;
        else
            TLinks.Links(previous).NextItem = next;
        if (next is null)
            Last = previous;
        else
            TLinks.Links(next).PreviousItem = previous;
        links = default;
        Count--;
    }

    public T? RemoveFirst()
    {
        T? first = First;
        if (first is not null)
            Remove(first);
        return first;
    }

    /// <summary>Moves an item on this list to its tail (an LRU touch).</summary>
    public void MoveToLast(T item)
    {
        Remove(item);
        AddLast(item);
    }

    /// <summary>Walks the list first to last; the list must not change during the walk (hot paths use <see cref="Next"/>).</summary>
    public Enumerator GetEnumerator() => new(First);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator : IEnumerator<T>
    {
        private T? _next;
        private T? _current;

        internal Enumerator(T? first) => _next = first;

        public readonly T Current => _current!;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            _current = _next;
            if (_current is null)
                return false;
            _next = TLinks.Links(_current).NextItem;
            return true;
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }

    private ref ListLinks<T> Claim(T item)
    {
        ref ListLinks<T> links = ref TLinks.Links(item);
        if (links.OwnerList is not null)
            throw new InvalidOperationException($"{item} is already on {links.OwnerList}");
        links.OwnerList = this;
        return ref links;
    }
}
