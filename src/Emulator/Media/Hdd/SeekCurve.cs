namespace Hardware.Emulator.Media;

/// <summary>
/// Seek time as a function of cylinder distance, in the Ruemmler-Wilkes form: <c>a + b·√d</c> for short seeks
/// (the arm accelerates and decelerates without reaching full speed) and <c>c + e·d</c> for long ones (it coasts),
/// continuous at the boundary B, with seek(0) = 0, seek(1) = track-to-track and seek(max) = full stroke.
/// <para>
/// Calibration: the mean seek over uniformly random LBA pairs must equal the datasheet average. That mean is linear
/// in (a, b, c, e) once the distance distribution is known, so for every candidate boundary B the four conditions
/// are a 2x2 linear system solved in closed form. Of all B that give a strictly rising curve, the one with the
/// smallest slope mismatch at the boundary is kept: a smooth (C1) curve whenever the figures allow one.
/// </para>
/// </summary>
public sealed class SeekCurve
{
    private readonly double _sqrtOffsetNs, _sqrtCoefficientNs, _linearOffsetNs, _linearSlopeNs;

    private SeekCurve(double a, double b, double c, double e, long boundary, long maxDistance, double meanMs)
    {
        SqrtOffsetMs = a;
        SqrtCoefficientMs = b;
        LinearOffsetMs = c;
        LinearSlopeMs = e;
        Boundary = boundary;
        MaxDistance = maxDistance;
        CalibratedMeanMs = meanMs;
        _sqrtOffsetNs = a * 1e6;
        _sqrtCoefficientNs = b * 1e6;
        _linearOffsetNs = c * 1e6;
        _linearSlopeNs = e * 1e6;
    }

    /// <summary>a in <c>a + b·√d</c>, milliseconds (may be negative: only d ≥ 1 uses it).</summary>
    public double SqrtOffsetMs { get; }

    /// <summary>b in <c>a + b·√d</c>, milliseconds per √cylinder.</summary>
    public double SqrtCoefficientMs { get; }

    /// <summary>c in <c>c + e·d</c>, milliseconds.</summary>
    public double LinearOffsetMs { get; }

    /// <summary>e in <c>c + e·d</c>, milliseconds per cylinder.</summary>
    public double LinearSlopeMs { get; }

    /// <summary>Longest distance on the square-root branch; longer seeks are linear.</summary>
    public long Boundary { get; }

    /// <summary>Full stroke in cylinders (cylinders - 1).</summary>
    public long MaxDistance { get; }

    /// <summary>Mean seek over the distance distribution it was calibrated with.</summary>
    public double CalibratedMeanMs { get; }

    public double TrackToTrackMs => TimeMs(1);

    public double FullStrokeMs => TimeMs(MaxDistance);

    /// <summary>Seek time for <paramref name="distance"/> cylinders, in milliseconds.</summary>
    public double TimeMs(long distance) => TimeNsExact(distance) / 1e6;

    /// <summary>Seek time for <paramref name="distance"/> cylinders, in nanoseconds.</summary>
    public long TimeNs(long distance) => (long)Math.Round(TimeNsExact(distance));

    private double TimeNsExact(long distance)
    {
        if (distance == 0) return 0;
        return distance <= Boundary
            ? _sqrtOffsetNs + _sqrtCoefficientNs * Math.Sqrt(distance)
            : _linearOffsetNs + _linearSlopeNs * distance;
    }

    /// <summary>Mean of the curve under <paramref name="distanceWeights"/> (weight of distance d at index d).</summary>
    public double MeanMs(ReadOnlySpan<double> distanceWeights)
    {
        double sum = 0;
        for (int d = 1; d < distanceWeights.Length; d++) sum += distanceWeights[d] * TimeMs(d);
        return sum;
    }

    /// <summary>
    /// Fits the curve to the three datasheet figures and the distribution of seek distances (index d holds the
    /// probability that two random LBAs lie d cylinders apart; the array length is the cylinder count).
    /// </summary>
    public static bool TryCalibrate(
        double trackToTrackMs, double fullStrokeMs, double averageMs,
        ReadOnlySpan<double> distanceWeights, out SeekCurve? curve, out string error)
    {
        curve = null;
        long maxDistance = distanceWeights.Length - 1;
        if (maxDistance < 3)
        {
            error = $"a seek curve needs at least 4 cylinders, the geometry has {distanceWeights.Length}";
            return false;
        }
        if (!(trackToTrackMs > 0 && trackToTrackMs < averageMs && averageMs < fullStrokeMs))
        {
            error = $"seek figures must satisfy 0 < trackToTrackMs ({trackToTrackMs}) < avgSeekMs ({averageMs}) < fullStrokeMs ({fullStrokeMs})";
            return false;
        }

        // Prefix sums of w(d), w(d)·√d and w(d)·d over d >= 1 make each candidate boundary O(1).
        int length = distanceWeights.Length;
        var weight = new double[length + 1];
        var weightSqrt = new double[length + 1];
        var weightDistance = new double[length + 1];
        for (int d = 1; d < length; d++)
        {
            double w = distanceWeights[d];
            weight[d + 1] = weight[d] + w;
            weightSqrt[d + 1] = weightSqrt[d] + w * Math.Sqrt(d);
            weightDistance[d + 1] = weightDistance[d] + w * d;
        }

        double t1 = trackToTrackMs, full = fullStrokeMs, avg = averageMs, max = maxDistance;
        double bestMismatch = double.PositiveInfinity;
        (double a, double b, double c, double e, long boundary) best = default;
        for (long boundary = 2; boundary < maxDistance; boundary++)
        {
            double shortWeight = weight[boundary + 1], shortSqrt = weightSqrt[boundary + 1];
            double longWeight = weight[length] - shortWeight;
            double longDistance = weightDistance[length] - weightDistance[boundary + 1];

            // With a = t1 - b and c = full - e·max: continuity at the boundary and the mean give two equations in b, e.
            double m11 = Math.Sqrt(boundary) - 1, m12 = max - boundary, r1 = full - t1;
            double m21 = shortSqrt - shortWeight, m22 = longDistance - max * longWeight;
            double r2 = avg - t1 * shortWeight - full * longWeight;
            double det = m11 * m22 - m12 * m21;
            if (det == 0) continue;
            double b = (r1 * m22 - m12 * r2) / det;
            double e = (m11 * r2 - m21 * r1) / det;
            if (!(b > 0 && e > 0)) continue;

            double mismatch = Math.Abs(Math.Log(b / (2 * Math.Sqrt(boundary)) / e));
            if (mismatch < bestMismatch)
            {
                bestMismatch = mismatch;
                best = (t1 - b, b, full - e * max, e, boundary);
            }
        }

        if (double.IsPositiveInfinity(bestMismatch))
        {
            error = $"no rising seek curve of the Ruemmler-Wilkes form has track-to-track {trackToTrackMs} ms, " +
                    $"full stroke {fullStrokeMs} ms and a mean of {averageMs} ms over this geometry";
            return false;
        }

        var fitted = new SeekCurve(best.a, best.b, best.c, best.e, best.boundary, maxDistance, 0);
        curve = new SeekCurve(best.a, best.b, best.c, best.e, best.boundary, maxDistance, fitted.MeanMs(distanceWeights));
        error = "";
        return true;
    }
}
