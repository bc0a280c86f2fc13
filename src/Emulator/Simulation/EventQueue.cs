namespace Hardware.Emulator.Simulation;

/// <summary>
/// The pending events of a <see cref="Simulation"/>, fired in (time, sequence) order. Two structures hold them:
/// <list type="bullet">
/// <item>a 4-ary min-heap of unmanaged keys (time, sequence, payload slot) for events in the future; the
/// payloads (handler or callback, argument, state) sit in a side slab written once when the event is scheduled
/// and read once when it fires, so sifting the heap moves plain numbers and never pays a GC write barrier;</item>
/// <item>a FIFO ring for events due at the current time (wake-ups, posted continuations, zero-delay hops). An
/// event scheduled for "now" has a higher sequence than every event already queued for now in the heap (those
/// were scheduled before the clock reached now), so the ring is drained after the heap's events at that time
/// and in its own order, which is exactly (time, sequence) order, without a heap push and pop.</item>
/// </list>
/// Arrays grow by doubling and never shrink, so a simulation in steady state schedules and fires events without
/// allocating.
/// </summary>
internal sealed class EventQueue
{
    private EventKey[] _heap = new EventKey[256];
    private int _heapCount;

    private EventPayload[] _slab = new EventPayload[256];
    private int[] _freeSlots = new int[256];
    private int _freeCount;
    private int _slabUsed;

    private SimEvent[] _ring = new SimEvent[256];
    private int _ringHead;
    private int _ringCount;

    public int Count => _heapCount + _ringCount;

    /// <summary>Time of the next event; only valid when <see cref="Count"/> is not zero.</summary>
    public long PeekTime()
    {
        if (_ringCount > 0 && (_heapCount == 0 || !_heap[0].FiresBefore(_ring[_ringHead].Time, _ring[_ringHead].Sequence)))
            return _ring[_ringHead].Time;
        return _heap[0].Time;
    }

    /// <summary>Queues an event; <paramref name="now"/> is the simulation's clock (events at it go to the ring).</summary>
    public void Push(long now, long time, long sequence, ISimEventHandler? handler, long argument, Action<object?>? callback, object? state)
    {
        if (time == now)
            PushRing(time, sequence, handler, argument, callback, state);
        else
            PushHeap(time, sequence, handler, argument, callback, state);
    }

    /// <summary>Removes the next event into <paramref name="e"/> (a copy on the caller's stack).</summary>
    public void Pop(out SimEvent e)
    {
        if (_ringCount > 0 && (_heapCount == 0 || !_heap[0].FiresBefore(_ring[_ringHead].Time, _ring[_ringHead].Sequence)))
        {
            ref SimEvent head = ref _ring[_ringHead];
            e = head;
            head = default; // drop references so handlers and states can be collected
            _ringHead = (_ringHead + 1) & (_ring.Length - 1);
            _ringCount--;
            return;
        }
        EventKey top = _heap[0];
        int last = --_heapCount;
        if (last > 0)
            SiftDown(_heap[last]);
        ref EventPayload payload = ref _slab[top.Slot];
        e.Time = top.Time;
        e.Sequence = top.Sequence;
        e.Handler = payload.Handler;
        e.Argument = payload.Argument;
        e.Callback = payload.Callback;
        e.State = payload.State;
        payload = default;
        _freeSlots[_freeCount++] = top.Slot;
    }

    private void PushRing(long time, long sequence, ISimEventHandler? handler, long argument, Action<object?>? callback, object? state)
    {
        if (_ringCount == _ring.Length)
            GrowRing();
        ref SimEvent slot = ref _ring[(_ringHead + _ringCount) & (_ring.Length - 1)];
        slot.Time = time;
        slot.Sequence = sequence;
        slot.Handler = handler;
        slot.Argument = argument;
        slot.Callback = callback;
        slot.State = state;
        _ringCount++;
    }

    private void GrowRing()
    {
        var grown = new SimEvent[_ring.Length * 2];
        for (int i = 0; i < _ringCount; i++)
            grown[i] = _ring[(_ringHead + i) & (_ring.Length - 1)];
        _ring = grown;
        _ringHead = 0;
    }

    private void PushHeap(long time, long sequence, ISimEventHandler? handler, long argument, Action<object?>? callback, object? state)
    {
        int slotIndex = RentSlot();
        ref EventPayload payload = ref _slab[slotIndex];
        payload.Handler = handler;
        payload.Argument = argument;
        payload.Callback = callback;
        payload.State = state;

        if (_heapCount == _heap.Length)
            Array.Resize(ref _heap, _heap.Length * 2);
        var item = new EventKey(time, sequence, slotIndex);
        EventKey[] heap = _heap;
        int index = _heapCount++;
        while (index > 0)
        {
            int parent = (index - 1) >> 2;
            if (!item.FiresBefore(heap[parent]))
                break;
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = item;
    }

    private int RentSlot()
    {
        if (_freeCount > 0)
            return _freeSlots[--_freeCount];
        if (_slabUsed == _slab.Length)
        {
            Array.Resize(ref _slab, _slab.Length * 2);
            Array.Resize(ref _freeSlots, _slab.Length);
        }
        return _slabUsed++;
    }

    private void SiftDown(EventKey item)
    {
        EventKey[] heap = _heap;
        int index = 0;
        int count = _heapCount;
        while (true)
        {
            int first = (index << 2) + 1;
            if (first >= count)
                break;
            int best = first;
            int end = Math.Min(first + 4, count);
            for (int child = first + 1; child < end; child++)
            {
                if (heap[child].FiresBefore(heap[best]))
                    best = child;
            }
            if (!heap[best].FiresBefore(item))
                break;
            heap[index] = heap[best];
            index = best;
        }
        heap[index] = item;
    }

    /// <summary>A heap entry: the ordering key and where the event's references live. No managed references.</summary>
    private readonly struct EventKey(long time, long sequence, int slot)
    {
        public readonly long Time = time;
        public readonly long Sequence = sequence;
        public readonly int Slot = slot;

        public bool FiresBefore(in EventKey other) =>
            Time < other.Time || (Time == other.Time && Sequence < other.Sequence);

        public bool FiresBefore(long time, long sequence) =>
            Time < time || (Time == time && Sequence < sequence);
    }

    private struct EventPayload
    {
        public ISimEventHandler? Handler;
        public long Argument;
        public Action<object?>? Callback;
        public object? State;
    }
}
