namespace Hardware.Cli.Study.Charts;

/// <summary>
/// Shortens long series deterministically so a report stays small: lines keep the lowest and highest point of each
/// of a fixed number of X buckets (peaks and dips survive), dots keep every k-th point (density survives).
/// </summary>
public static class Downsample
{
    /// <summary>At most 2 x <paramref name="buckets"/> points of an X-ordered series, in X order.</summary>
    public static IReadOnlyList<SeriesPoint> MinMax(IReadOnlyList<SeriesPoint> points, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (points.Count <= 2 * buckets)
            return points;
        double first = points[0].X, last = points[^1].X;
        double width = (last - first) / buckets;
        var kept = new List<SeriesPoint>(2 * buckets);
        int start = 0;
        while (start < points.Count)
        {
            int bucket = width == 0 ? 0 : Math.Min(buckets - 1, (int)((points[start].X - first) / width));
            int end = start, low = start, high = start;
            while (end < points.Count && (width == 0 || Math.Min(buckets - 1, (int)((points[end].X - first) / width)) == bucket))
            {
                if (points[end].Y < points[low].Y)
                    low = end;
                if (points[end].Y > points[high].Y)
                    high = end;
                end++;
            }
            kept.Add(points[Math.Min(low, high)]);
            if (low != high)
                kept.Add(points[Math.Max(low, high)]);
            start = end;
        }
        return kept;
    }

    /// <summary>Every k-th point (k the smallest that leaves at most <paramref name="maxPoints"/>), starting with the first.</summary>
    public static IReadOnlyList<SeriesPoint> Stride(IReadOnlyList<SeriesPoint> points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (points.Count <= maxPoints)
            return points;
        int stride = (points.Count + maxPoints - 1) / maxPoints;
        var kept = new List<SeriesPoint>(maxPoints);
        for (int i = 0; i < points.Count; i += stride)
            kept.Add(points[i]);
        return kept;
    }
}
