namespace Hardware.Emulator.Simulation;

/// <summary>
/// A 4-ary min-heap of <see cref="SimEvent"/> structs keyed by (time, sequence). The array grows by doubling
/// and never shrinks, so a simulation in steady state schedules and fires events without allocating.
/// </summary>
internal sealed class EventQueue
{
    private SimEvent[] _heap = new SimEvent[256];
    private int _count;

    public int Count => _count;

    public void Push(in SimEvent item)
    {
        if (_count == _heap.Length)
            Array.Resize(ref _heap, _heap.Length * 2);
        int index = _count++;
        while (index > 0)
        {
            int parent = (index - 1) >> 2;
            if (!item.FiresBefore(_heap[parent]))
                break;
            _heap[index] = _heap[parent];
            index = parent;
        }
        _heap[index] = item;
    }

    public ref readonly SimEvent Peek() => ref _heap[0];

    public SimEvent Pop()
    {
        SimEvent top = _heap[0];
        int last = --_count;
        if (last > 0)
            SiftDown(_heap[last]);
        _heap[last] = default; // drop references so handlers and states can be collected
        return top;
    }

    private void SiftDown(in SimEvent item)
    {
        int index = 0;
        int count = _count;
        while (true)
        {
            int first = (index << 2) + 1;
            if (first >= count)
                break;
            int best = first;
            int end = Math.Min(first + 4, count);
            for (int child = first + 1; child < end; child++)
            {
                if (_heap[child].FiresBefore(_heap[best]))
                    best = child;
            }
            if (!_heap[best].FiresBefore(item))
                break;
            _heap[index] = _heap[best];
            index = best;
        }
        _heap[index] = item;
    }
}
