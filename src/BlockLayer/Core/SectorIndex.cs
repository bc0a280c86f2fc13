namespace Hardware.BlockLayer;

/// <summary>
/// A hash multimap from a sector to the request contexts filed under it - the queue keeps one by end sector (back
/// merge candidates, Linux's elevator rqhash) and one by start sector (front merge candidates and finding a
/// dispatched request again). Entries live in one array with a free list, so adding, finding and removing allocate
/// nothing once the array has grown to the number of requests the elevator holds.
/// </summary>
internal sealed class SectorIndex
{
    private struct Entry
    {
        public long Key;
        public RequestContext? Value;
        public int Next; // next entry in the bucket, or in the free list; -1 ends either
    }

    private int[] _buckets;
    private Entry[] _entries;
    private int _used;
    private int _freeList = -1;
    private int _shift;

    public SectorIndex(int capacity = 64)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 16));
        _buckets = NewBuckets(size);
        _entries = new Entry[size];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    public int Count { get; private set; }

    public void Add(long key, RequestContext value)
    {
        if (_freeList < 0 && _used == _entries.Length)
            Grow();
        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = _entries[index].Next;
        }
        else
        {
            index = _used++;
        }
        int bucket = Bucket(key);
        _entries[index] = new Entry { Key = key, Value = value, Next = _buckets[bucket] };
        _buckets[bucket] = index;
        Count++;
    }

    /// <summary>Removes the entry of <paramref name="value"/> under <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(long key, RequestContext value)
    {
        int bucket = Bucket(key);
        int previous = -1;
        for (int i = _buckets[bucket]; i >= 0; previous = i, i = _entries[i].Next)
        {
            if (_entries[i].Key != key || !ReferenceEquals(_entries[i].Value, value))
                continue;
            if (previous < 0)
                _buckets[bucket] = _entries[i].Next;
            else
                _entries[previous].Next = _entries[i].Next;
            _entries[i] = new Entry { Next = _freeList };
            _freeList = i;
            Count--;
            return true;
        }
        return false;
    }

    /// <summary>The first entry under <paramref name="key"/>, or -1; continue with <see cref="FindNext"/>.</summary>
    public int FindFirst(long key) => Scan(_buckets[Bucket(key)], key);

    public int FindNext(int entry) => Scan(_entries[entry].Next, _entries[entry].Key);

    public RequestContext this[int entry] => _entries[entry].Value!;

    /// <summary>The context of <paramref name="request"/> filed under <paramref name="key"/>, or null.</summary>
    public RequestContext? Find(long key, Request request)
    {
        for (int i = FindFirst(key); i >= 0; i = FindNext(i))
        {
            if (ReferenceEquals(_entries[i].Value!.Request, request))
                return _entries[i].Value;
        }
        return null;
    }

    private int Scan(int start, long key)
    {
        for (int i = start; i >= 0; i = _entries[i].Next)
        {
            if (_entries[i].Key == key)
                return i;
        }
        return -1;
    }

    private int Bucket(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        int size = _entries.Length * 2;
        Array.Resize(ref _entries, size);
        _buckets = NewBuckets(size);
        _shift--;
        for (int i = 0; i < _used; i++)
        {
            if (_entries[i].Value is null)
                continue;
            int bucket = Bucket(_entries[i].Key);
            _entries[i].Next = _buckets[bucket];
            _buckets[bucket] = i;
        }
    }

    private static int[] NewBuckets(int size)
    {
        var buckets = new int[size];
        Array.Fill(buckets, -1);
        return buckets;
    }
}
