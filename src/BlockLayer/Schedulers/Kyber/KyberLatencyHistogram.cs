namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Kyber's per-window latency histograms: for each measured domain (read, write, discard) and each kind (total:
/// from allocation; I/O: from issue), eight buckets a quarter of the target wide - four "good" (at or under the
/// target) and four "bad", the last open-ended. Percentiles are read as a bucket index and clear the histogram.
/// </summary>
internal sealed class KyberLatencyHistogram
{
    public const int LatencyShift = 2;
    public const int GoodBuckets = 1 << LatencyShift;
    public const int Buckets = 2 << LatencyShift;
    public const int Total = 0;
    public const int Io = 1;

    /// <summary>Samples before a percentile may be taken early; otherwise a full second must pass (Linux: 500, HZ).</summary>
    public const int MinSamples = 500;

    private readonly int[] _buckets = new int[3 * 2 * Buckets];
    private readonly long[] _windowStart = new long[3];

    public KyberLatencyHistogram()
    {
        Array.Fill(_windowStart, -1);
    }

    /// <summary>The bucket a latency falls in, relative to <paramref name="target"/>.</summary>
    public static int BucketOf(long latency, long target)
    {
        if (latency <= 0)
            return 0;
        long width = Math.Max(target >> LatencyShift, 1);
        return (int)Math.Min((latency - 1) / width, Buckets - 1);
    }

    public void Add(int domain, int kind, long latency, long target)
    {
        if (target <= 0)
            return; // no target: not measured (as Linux with a zero target)
        _buckets[Offset(domain, kind) + BucketOf(latency, target)]++;
    }

    /// <summary>
    /// The bucket holding the <paramref name="percentile"/>th sample, or -1 when there are too few samples yet
    /// (fewer than 500 and less than <paramref name="minWindow"/> since the first look). Clears the buckets when
    /// it answers.
    /// </summary>
    public int Percentile(int domain, int kind, int percentile, long now, long minWindow)
    {
        int offset = Offset(domain, kind);
        long samples = 0;
        for (int b = 0; b < Buckets; b++)
            samples += _buckets[offset + b];
        if (samples == 0)
            return -1;
        if (_windowStart[domain] < 0)
            _windowStart[domain] = now;
        if (samples < MinSamples && now < _windowStart[domain] + minWindow)
            return -1;
        _windowStart[domain] = -1;

        long wanted = (samples * percentile + 99) / 100;
        int bucket;
        for (bucket = 0; bucket < Buckets - 1; bucket++)
        {
            if (_buckets[offset + bucket] >= wanted)
                break;
            wanted -= _buckets[offset + bucket];
        }
        Array.Clear(_buckets, offset, Buckets);
        return bucket;
    }

    private static int Offset(int domain, int kind) => (domain * 2 + kind) * Buckets;
}
