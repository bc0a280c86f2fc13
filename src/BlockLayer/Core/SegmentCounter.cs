namespace Hardware.BlockLayer;

/// <summary>
/// Counts the physical segments (scatter-gather entries) a run of bio segments needs, the way Linux's
/// blk_rq_map_sg builds them: a segment that starts where the previous one ended joins it when the sum stays within
/// the maximum segment size; a segment longer than the maximum takes several entries. Within one bio this is the
/// count the limit applies to; across merged bios the queue adds the counts, never coalescing at a bio boundary
/// (as Linux's ll_back_merge_fn does), so a request's count is an upper bound of what its driver will map.
/// </summary>
internal struct SegmentCounter
{
    private readonly int _maxSegmentSize;
    private ulong _end;
    private long _lastLength;

    public SegmentCounter(int maxSegmentSize)
    {
        _maxSegmentSize = maxSegmentSize;
        _end = 0;
        _lastLength = 0;
        Count = 0;
    }

    public int Count { get; private set; }

    public static int CountSegments(ReadOnlySpan<BioSegment> segments, int maxSegmentSize)
    {
        var counter = new SegmentCounter(maxSegmentSize);
        foreach (BioSegment segment in segments)
            counter.Add(segment.Address, segment.Length);
        return counter.Count;
    }

    public void Add(ulong address, long length)
    {
        if (JoinsLast(address, length))
        {
            _lastLength += length;
        }
        else
        {
            int pieces = (int)((length + _maxSegmentSize - 1) / _maxSegmentSize);
            Count += pieces;
            _lastLength = length - (long)(pieces - 1) * _maxSegmentSize;
        }
        _end = address + (ulong)length;
    }

    /// <summary>
    /// How many of <paramref name="length"/> bytes at <paramref name="address"/> fit without passing
    /// <paramref name="maxSegments"/>, rounded down to <paramref name="granularity"/>; 0 when nothing fits.
    /// </summary>
    public readonly long Fit(ulong address, long length, int maxSegments, int granularity)
    {
        if (JoinsLast(address, length))
            return length;
        int free = maxSegments - Count;
        long fit;
        if (free > 0)
            fit = Math.Min(length, (long)free * _maxSegmentSize);
        else if (Count > 0 && address == _end)
            fit = Math.Min(length, _maxSegmentSize - _lastLength); // only what still joins the last segment
        else
            fit = 0;
        return fit - fit % granularity;
    }

    private readonly bool JoinsLast(ulong address, long length) =>
        Count > 0 && address == _end && _lastLength + length <= _maxSegmentSize;
}
