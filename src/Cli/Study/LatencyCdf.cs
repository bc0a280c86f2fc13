namespace Hardware.Cli.Study;

/// <summary>
/// A latency distribution as CDF points (X: latency in milliseconds, Y: share of I/Os at or below it), sampled at
/// fixed quantiles that get denser towards the tail, so a chart shows p99.9 as clearly as the median while staying
/// a few hundred points long whatever the number of I/Os.
/// </summary>
public static class LatencyCdf
{
    /// <summary>0 to 0.99 in steps of 0.01, then 0.991 to 0.999, then 0.9991 to 0.9999, then 1.</summary>
    public static IReadOnlyList<double> Quantiles { get; } = BuildQuantiles();

    public static IReadOnlyList<SeriesPoint> FromSorted(IReadOnlyList<long> sortedNs)
    {
        var points = new List<SeriesPoint>();
        if (sortedNs.Count == 0)
            return points;
        int lastRank = -1;
        foreach (double q in Quantiles)
        {
            int rank = Math.Clamp((int)Math.Ceiling(Math.Round(q * sortedNs.Count, 9)), 1, sortedNs.Count);
            if (rank == lastRank)
                continue;
            lastRank = rank;
            points.Add(new SeriesPoint(sortedNs[rank - 1] / 1e6, (double)rank / sortedNs.Count));
        }
        return points;
    }

    private static double[] BuildQuantiles()
    {
        var q = new List<double>();
        for (int i = 0; i < 100; i++)
            q.Add(i / 100.0);
        for (int i = 1; i <= 9; i++)
            q.Add(0.99 + i / 1000.0);
        for (int i = 1; i <= 9; i++)
            q.Add(0.999 + i / 10000.0);
        q.Add(1.0);
        return q.ToArray();
    }
}
