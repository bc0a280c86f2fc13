using System.Globalization;

namespace Hardware.Cli.Study.Charts;

/// <summary>Short tick labels: 0.25, 40, 1.5k, 976M; invariant culture (SVG coordinates and labels never follow the locale).</summary>
public static class ChartNumbers
{
    private static readonly (double Scale, string Suffix)[] Prefixes = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    public static string Label(double value)
    {
        if (value == 0)
            return "0";
        double magnitude = Math.Abs(value);
        foreach (var (scale, suffix) in Prefixes)
            if (magnitude >= scale)
                return Trim(value / scale) + suffix;
        return Trim(value);
    }

    /// <summary>A coordinate with two decimals at most (enough below a pixel, short in the file).</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Trim(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
