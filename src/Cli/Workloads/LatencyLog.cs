using System.Globalization;
using System.Runtime.CompilerServices;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Every latency of one kind (slat, clat or lat) of one job direction, kept exactly (8 bytes an I/O) so percentiles
/// are exact rather than fio's binned approximations. <see cref="Summarise"/> sorts once at the end, with an LSD radix
/// sort (linear in the count, and it skips the bytes every value shares: a constant slat costs one counting pass).
/// </summary>
public sealed class LatencyLog
{
    /// <summary>fio's default percentile list (percentile_list), as its JSON keys them.</summary>
    public static readonly IReadOnlyList<double> FioPercentiles =
        [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99];

    private const int DigitBits = 8;
    private const int Digits = 64 / DigitBits;
    private const int Radix = 1 << DigitBits;

    private long[] _values = new long[256];
    private int _count;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long nanoseconds)
    {
        long[] values = _values;
        int count = _count;
        if ((uint)count < (uint)values.Length)
        {
            values[count] = nanoseconds;
            _count = count + 1;
            return;
        }
        Grow(nanoseconds);
    }

    /// <summary>Doubles the array without clearing it (every slot below the count is written before it is read).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(long nanoseconds)
    {
        long[] larger = GC.AllocateUninitializedArray<long>(_values.Length * 2);
        _values.AsSpan(0, _count).CopyTo(larger);
        _values = larger;
        _values[_count++] = nanoseconds;
    }

    /// <summary>fio's percentile key: the value with six decimals ("99.000000").</summary>
    public static string Key(double percentile) => percentile.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Min, max, mean, sample standard deviation (fio divides by N-1) and, when asked, the percentiles: the smallest
    /// value with at least p% of the samples at or below it. An empty log is all zeros. The sums run over the sorted
    /// values, smallest first, so the mean and standard deviation do not depend on the order the I/Os completed in.
    /// </summary>
    public LatencyStats Summarise(bool percentiles = true)
    {
        if (_count == 0)
            return new LatencyStats(0, 0, 0, 0, 0, new Dictionary<string, long>());
        Sort();
        ReadOnlySpan<long> values = _values.AsSpan(0, _count);
        (double mean, double stddev) = Moments(values);
        var table = new Dictionary<string, long>();
        if (percentiles)
        {
            foreach (double p in FioPercentiles)
            {
                int rank = (int)Math.Ceiling(p / 100 * _count);
                table[Key(p)] = values[Math.Clamp(rank - 1, 0, _count - 1)];
            }
        }
        return new LatencyStats(values[0], values[^1], mean, stddev, _count, table);
    }

    /// <summary>Mean and sample standard deviation, summed in the order given. Compiled optimized at once: it runs once, over every I/O.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Mean, double StdDev) Moments(ReadOnlySpan<long> values)
    {
        double sum = 0;
        foreach (long value in values)
            sum += value;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (long value in values)
            squares += (value - mean) * (value - mean);
        double stddev = values.Length > 1 ? Math.Sqrt(squares / (values.Length - 1)) : 0;
        return (mean, stddev);
    }

    /// <summary>
    /// Sorts the values ascending: one pass counts every byte position's digits, then one stable scatter per byte
    /// position whose digits are not all the same, least significant first, between the log's array and one scratch
    /// array (the sorted one is kept). The sign bit is flipped so negative values sort first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sort()
    {
        int count = _count;
        Span<long> values = _values.AsSpan(0, count);
        int[] counts = new int[Digits * Radix];
        foreach (long value in values)
        {
            ulong key = SortKey(value);
            for (int d = 0; d < Digits; d++)
                counts[d * Radix + (int)((key >> (d * DigitBits)) & (Radix - 1))]++;
        }

        long[] scratch = [];
        long[] source = _values;
        for (int d = 0; d < Digits; d++)
        {
            Span<int> digitCounts = counts.AsSpan(d * Radix, Radix);
            if (digitCounts.Contains(count))
                continue;
            int offset = 0;
            for (int i = 0; i < Radix; i++)
            {
                int n = digitCounts[i];
                digitCounts[i] = offset;
                offset += n;
            }
            if (scratch.Length < count)
                scratch = GC.AllocateUninitializedArray<long>(count);
            long[] target = source == _values ? scratch : _values;
            int shift = d * DigitBits;
            for (int i = 0; i < count; i++)
            {
                long value = source[i];
                target[digitCounts[(int)((SortKey(value) >> shift) & (Radix - 1))]++] = value;
            }
            source = target;
        }
        _values = source;
    }

    private static ulong SortKey(long value) => (ulong)value ^ (1UL << 63);
}
