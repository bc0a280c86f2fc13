namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// Keeps the most recent events in a ring allocated up front (for tests and reports). When full, each new event
/// replaces the oldest and <see cref="Overwritten"/> counts the loss; nothing is allocated per event.
/// </summary>
public sealed class MemoryTracer : IBlockTracer
{
    public const int DefaultCapacity = 64 * 1024;

    private readonly BlockTraceEvent[] _ring;
    private readonly Dictionary<int, string> _names = new();
    private int _start;

    public MemoryTracer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new BlockTraceEvent[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Events held (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Events traced since creation or the last <see cref="Clear"/>, held or not.</summary>
    public long Traced { get; private set; }

    /// <summary>Events lost to the ring's wrap-around.</summary>
    public long Overwritten => Traced - Count;

    /// <summary>The held events, oldest first.</summary>
    public BlockTraceEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _ring[(_start + index) % _ring.Length];
        }
    }

    /// <summary>Names given with <see cref="NameProcess"/> (as a trace carries them: at most 15 bytes).</summary>
    public IReadOnlyDictionary<int, string> ProcessNames => _names;

    public void Trace(in BlockTraceEvent e)
    {
        if (Count < _ring.Length)
        {
            _ring[(_start + Count) % _ring.Length] = e;
            Count++;
        }
        else
        {
            _ring[_start] = e;
            _start = (_start + 1) % _ring.Length;
        }

        Traced++;
    }

    public void NameProcess(int processId, string name, long time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(processId);
        ArgumentNullException.ThrowIfNull(name);
        _names[processId] = TaskComm.Normalize(name);
    }

    /// <summary>Copies the held events, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTo(Span<BlockTraceEvent> destination)
    {
        int count = Math.Min(Count, destination.Length);
        int firstPart = Math.Min(count, _ring.Length - _start);
        _ring.AsSpan(_start, firstPart).CopyTo(destination);
        _ring.AsSpan(0, count - firstPart).CopyTo(destination[firstPart..]);
        return count;
    }

    /// <summary>The held events as a new array, oldest first.</summary>
    public BlockTraceEvent[] ToArray()
    {
        var events = new BlockTraceEvent[Count];
        CopyTo(events);
        return events;
    }

    /// <summary>How many held events are <paramref name="action"/>.</summary>
    public int CountOf(BlockTraceAction action)
    {
        int count = 0;
        for (int i = 0; i < Count; i++)
            if (_ring[(_start + i) % _ring.Length].Action == action)
                count++;
        return count;
    }

    /// <summary>Forgets the events (names are kept: processes outlive a measurement window).</summary>
    public void Clear()
    {
        _start = 0;
        Count = 0;
        Traced = 0;
    }
}
