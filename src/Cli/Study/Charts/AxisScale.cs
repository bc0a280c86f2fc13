namespace Hardware.Cli.Study.Charts;

/// <summary>
/// Maps data values on one axis to pixels, linearly or by decimal logarithm, and proposes ticks: 1-2-5 steps on a
/// linear axis (about five of them), powers of ten on a log axis.
/// </summary>
public sealed class AxisScale
{
    private readonly double _pixelFrom;
    private readonly double _pixelTo;

    public AxisScale(double min, double max, bool log, double pixelFrom, double pixelTo)
    {
        if (log && (min <= 0 || max <= 0))
            throw new ArgumentOutOfRangeException(nameof(min), "a log axis needs positive bounds");
        if (!(max > min))
            throw new ArgumentOutOfRangeException(nameof(max), "an axis needs max > min");
        Min = min;
        Max = max;
        IsLog = log;
        _pixelFrom = pixelFrom;
        _pixelTo = pixelTo;
    }

    public double Min { get; }
    public double Max { get; }
    public bool IsLog { get; }

    /// <summary>Bounds for data between <paramref name="low"/> and <paramref name="high"/>: widened to whole decades on a log axis and to nice steps on a linear one.</summary>
    public static (double Min, double Max) NiceBounds(double low, double high, bool log)
    {
        if (log)
        {
            double min = Math.Pow(10, Math.Floor(Math.Log10(low)));
            double max = Math.Pow(10, Math.Ceiling(Math.Log10(high)));
            return max > min ? (min, max) : (min, min * 10);
        }
        if (high <= low)
            return low == 0 ? (0, 1) : (Math.Min(0, low), Math.Max(0, low) + Math.Abs(low));
        double step = NiceStep((high - low) / 5);
        return (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step);
    }

    public double ToPixel(double value)
    {
        double share = IsLog
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        return _pixelFrom + share * (_pixelTo - _pixelFrom);
    }

    public bool Contains(double value) => value >= Min && value <= Max && (!IsLog || value > 0);

    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (IsLog)
        {
            for (int exponent = (int)Math.Ceiling(Math.Log10(Min) - 1e-9); Math.Pow(10, exponent) <= Max * (1 + 1e-9); exponent++)
                ticks.Add(Math.Pow(10, exponent));
            return ticks;
        }
        double step = NiceStep((Max - Min) / 5);
        for (double tick = Math.Ceiling(Min / step - 1e-9) * step; tick <= Max + step * 1e-9; tick += step)
            ticks.Add(Math.Abs(tick) < step * 1e-9 ? 0 : tick);
        return ticks;
    }

    /// <summary>The 1, 2 or 5 times a power of ten nearest above <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (rough <= 0)
            return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }
}
