using System.Globalization;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Every latency of one kind (slat, clat or lat) of one job direction, kept exactly (8 bytes an I/O) so percentiles
/// are exact rather than fio's binned approximations. <see cref="Summarise"/> sorts once at the end.
/// </summary>
public sealed class LatencyLog
{
    /// <summary>fio's default percentile list (percentile_list), as its JSON keys them.</summary>
    public static readonly IReadOnlyList<double> FioPercentiles =
        [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99];

    private long[] _values = new long[256];
    private int _count;

    public int Count => _count;

    public void Add(long nanoseconds)
    {
        if (_count == _values.Length)
            Array.Resize(ref _values, _values.Length * 2);
        _values[_count++] = nanoseconds;
    }

    public void AddRange(LatencyLog other)
    {
        for (int i = 0; i < other._count; i++)
            Add(other._values[i]);
    }

    /// <summary>fio's percentile key: the value with six decimals ("99.000000").</summary>
    public static string Key(double percentile) => percentile.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Min, max, mean, sample standard deviation (fio divides by N-1) and, when asked, the percentiles: the smallest
    /// value with at least p% of the samples at or below it. An empty log is all zeros.
    /// </summary>
    public LatencyStats Summarise(bool percentiles = true)
    {
        if (_count == 0)
            return new LatencyStats(0, 0, 0, 0, 0, new Dictionary<string, long>());
        Span<long> values = _values.AsSpan(0, _count);
        values.Sort();
        double sum = 0;
        foreach (long value in values)
            sum += value;
        double mean = sum / _count;
        double squares = 0;
        foreach (long value in values)
            squares += (value - mean) * (value - mean);
        double stddev = _count > 1 ? Math.Sqrt(squares / (_count - 1)) : 0;
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
}
