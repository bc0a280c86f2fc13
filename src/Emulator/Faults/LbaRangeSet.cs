namespace Hardware.Emulator.Faults;

/// <summary>
/// A set of LBAs kept as sorted, disjoint, non-adjacent half-open ranges. Queries are binary searches and allocate
/// nothing, so a drive can consult it on every command.
/// </summary>
public sealed class LbaRangeSet
{
    private readonly List<long> _starts = new();
    private readonly List<long> _ends = new();

    public int RangeCount => _starts.Count;

    public bool IsEmpty => _starts.Count == 0;

    public long SectorCount
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _starts.Count; i++)
                total += _ends[i] - _starts[i];
            return total;
        }
    }

    public void Add(long lba, long count)
    {
        Check(lba, count);
        if (count == 0)
            return;
        long start = lba;
        long end = lba + count;
        // Merge every range that overlaps or touches [start, end).
        int first = FirstEndingAtOrAfter(start);
        int last = first;
        while (last < _starts.Count && _starts[last] <= end)
        {
            start = Math.Min(start, _starts[last]);
            end = Math.Max(end, _ends[last]);
            last++;
        }
        _starts.RemoveRange(first, last - first);
        _ends.RemoveRange(first, last - first);
        _starts.Insert(first, start);
        _ends.Insert(first, end);
    }

    public void Remove(long lba, long count)
    {
        Check(lba, count);
        if (count == 0 || _starts.Count == 0)
            return;
        long start = lba;
        long end = lba + count;
        int index = FirstEndingAfter(start);
        while (index < _starts.Count && _starts[index] < end)
        {
            long rangeStart = _starts[index];
            long rangeEnd = _ends[index];
            if (rangeStart < start && rangeEnd > end)
            {
                // The removal splits the range in two.
                _ends[index] = start;
                _starts.Insert(index + 1, end);
                _ends.Insert(index + 1, rangeEnd);
                return;
            }
            if (rangeStart < start)
            {
                _ends[index] = start;
                index++;
            }
            else if (rangeEnd > end)
            {
                _starts[index] = end;
                return;
            }
            else
            {
                _starts.RemoveAt(index);
                _ends.RemoveAt(index);
            }
        }
    }

    /// <summary>The first LBA of [lba, lba+count) that is in the set.</summary>
    public bool TryFindFirst(long lba, long count, out long first)
    {
        first = -1;
        if (count <= 0 || _starts.Count == 0)
            return false;
        int index = FirstEndingAfter(lba);
        if (index == _starts.Count || _starts[index] >= lba + count)
            return false;
        first = Math.Max(lba, _starts[index]);
        return true;
    }

    public bool Overlaps(long lba, long count) => TryFindFirst(lba, count, out _);

    public bool Contains(long lba) => Overlaps(lba, 1);

    public void Clear()
    {
        _starts.Clear();
        _ends.Clear();
    }

    /// <summary>Index of the first range whose end is greater than <paramref name="lba"/>.</summary>
    private int FirstEndingAfter(long lba)
    {
        int low = 0, high = _ends.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_ends[mid] > lba)
                high = mid;
            else
                low = mid + 1;
        }
        return low;
    }

    private int FirstEndingAtOrAfter(long lba) => FirstEndingAfter(lba - 1);

    private static void Check(long lba, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lba);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (lba > long.MaxValue - count)
            throw new ArgumentOutOfRangeException(nameof(count), "the range overflows");
    }
}
