namespace Hardware.Cli.Study;

/// <summary>
/// Latency figures of a set of I/Os in nanoseconds. Percentiles are exact nearest-rank values (the smallest
/// latency with at least p % of the I/Os at or below it), not fio's histogram approximations.
/// </summary>
public sealed record LatencySummary(long Count, double MeanNs, long P50Ns, long P99Ns, long P999Ns, long MaxNs)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0);

    /// <summary>Summarises latencies sorted ascending.</summary>
    public static LatencySummary FromSorted(IReadOnlyList<long> sorted)
    {
        if (sorted.Count == 0)
            return Empty;
        double sum = 0;
        foreach (long latency in sorted)
            sum += latency;
        return new LatencySummary(sorted.Count, sum / sorted.Count,
            Percentile(sorted, 50), Percentile(sorted, 99), Percentile(sorted, 99.9), sorted[^1]);
    }

    /// <summary>Nearest rank: the value at rank ceil(p/100 x N), counting from 1.</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
            throw new ArgumentException("no latencies", nameof(sorted));
        // Rounded first so that 99.9 % of 1000 is rank 999, not 1000 through binary floating point.
        long rank = (long)Math.Ceiling(Math.Round(percent / 100 * sorted.Count, 9));
        return sorted[(int)Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
