using System.Globalization;
using System.Runtime.CompilerServices;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Every latency of one kind (slat, clat or lat) of one job direction, kept exactly (8 bytes an I/O) so percentiles
/// are exact rather than fio's binned approximations. <see cref="Summarise"/> sorts once at the end, with an LSD radix
/// sort (linear in the count, one pass per byte position where values differ: a constant slat costs one pass).
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
    /// Sorts the values ascending: one pass finds the byte positions whose digits differ between values, one counts
    /// their digits, then one stable scatter per such byte position, least significant first, between the log's array
    /// and one scratch array (the sorted one is kept). The sign bit is flipped so negative values sort first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sort()
    {
        int count = _count;
        Span<long> values = _values.AsSpan(0, count);
        ulong all = ulong.MaxValue;
        ulong any = 0;
        foreach (long value in values)
        {
            all &= SortKey(value);
            any |= SortKey(value);
        }
        ulong differing = all ^ any;
        Span<int> shifts = stackalloc int[Digits];
        int passes = 0;
        for (int d = 0; d < Digits; d++)
        {
            if ((differing >> (d * DigitBits) & (Radix - 1)) != 0)
                shifts[passes++] = d * DigitBits;
        }
        if (passes == 0)
            return;

        int[] counts = new int[passes * Radix];
        foreach (long value in values)
        {
            ulong key = SortKey(value);
            for (int p = 0; p < passes; p++)
                counts[p * Radix + (int)((key >> shifts[p]) & (Radix - 1))]++;
        }

        long[] scratch = GC.AllocateUninitializedArray<long>(count);
        long[] source = _values;
        long[] target = scratch;
        for (int p = 0; p < passes; p++)
        {
            Span<int> next = counts.AsSpan(p * Radix, Radix);
            int offset = 0;
            for (int i = 0; i < Radix; i++)
            {
                int n = next[i];
                next[i] = offset;
                offset += n;
            }
            int shift = shifts[p];
            for (int i = 0; i < count; i++)
            {
                long value = source[i];
                target[next[(int)((SortKey(value) >> shift) & (Radix - 1))]++] = value;
            }
            (source, target) = (target, source);
        }
        _values = source;
    }

    private static ulong SortKey(long value) => (ulong)value ^ (1UL << 63);
}
