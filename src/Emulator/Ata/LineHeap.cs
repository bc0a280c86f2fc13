namespace Hardware.Emulator.Ata;

/// <summary>A binary min-heap of (line number, cache slot) pairs in arrays sized once: pushing and popping allocate nothing.</summary>
internal sealed class LineHeap
{
    private readonly long[] _lines;
    private readonly int[] _slots;
    private int _count;

    public LineHeap(int capacity)
    {
        _lines = new long[capacity];
        _slots = new int[capacity];
    }

    public int Count => _count;

    public bool IsFull => _count == _lines.Length;

    public void Push(long line, int slot)
    {
        if (IsFull)
            throw new InvalidOperationException("the line heap is full");
        int index = _count++;
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (_lines[parent] <= line)
                break;
            _lines[index] = _lines[parent];
            _slots[index] = _slots[parent];
            index = parent;
        }
        _lines[index] = line;
        _slots[index] = slot;
    }

    public bool TryPop(out long line, out int slot)
    {
        if (_count == 0)
        {
            line = 0;
            slot = -1;
            return false;
        }
        line = _lines[0];
        slot = _slots[0];
        int last = --_count;
        long movedLine = _lines[last];
        int movedSlot = _slots[last];
        int index = 0;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= last)
                break;
            if (child + 1 < last && _lines[child + 1] < _lines[child])
                child++;
            if (_lines[child] >= movedLine)
                break;
            _lines[index] = _lines[child];
            _slots[index] = _slots[child];
            index = child;
        }
        if (last > 0)
        {
            _lines[index] = movedLine;
            _slots[index] = movedSlot;
        }
        return true;
    }

    public void Clear() => _count = 0;
}
