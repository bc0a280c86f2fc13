using System.Globalization;

namespace Hardware.Cli.Workloads;

/// <summary>fio's random_distribution models supported here.</summary>
public enum OffsetDistributionKind
{
    /// <summary>Uniform: every block as likely (fio's default).</summary>
    Random,
    /// <summary>Zipf with exponent theta: the block of rank k is hit in proportion to 1/k^theta.</summary>
    Zipf,
    /// <summary>Pareto with power h (0 &lt; h &lt; 1): rank = (n-1)·u^(ln h / ln(1-h)) for a uniform u.</summary>
    Pareto,
    /// <summary>Normal (Gaussian): ranks cluster around the middle; the deviation widens it by a percentage of the region.</summary>
    Normal,
}

/// <summary>
/// random_distribution=KIND[:VALUE[:CENTER]] as fio reads it: <c>random</c>, <c>zipf:THETA</c> (default 1.1, not 1),
/// <c>pareto:H</c> (default 0.2, 0 &lt; H &lt; 1), <c>normal:DEV</c> (a deviation in percent of the region, default 0,
/// 0 &lt;= DEV &lt; 100). CENTER (0 to 1) is fio's base of the distribution: where rank 0 lands, as a fraction of the
/// region; without it zipf and pareto start at a random place and normal at the middle.
/// </summary>
public sealed record OffsetDistribution(OffsetDistributionKind Kind, double Value, double? Center)
{
    public static readonly OffsetDistribution Uniform = new(OffsetDistributionKind.Random, 0, null);

    public const double DefaultZipfTheta = 1.1;
    public const double DefaultParetoH = 0.2;

    /// <summary>Parses fio's syntax; null with <paramref name="error"/> saying what is allowed when the text is not valid.</summary>
    public static OffsetDistribution? Parse(string text, out string error)
    {
        error = "";
        if (text.Contains(','))
        {
            error = "separate read,write distributions are not supported; give one";
            return null;
        }
        string[] parts = text.Split(':');
        OffsetDistributionKind? kind = parts[0].Trim().ToLowerInvariant() switch
        {
            "random" => OffsetDistributionKind.Random,
            "zipf" => OffsetDistributionKind.Zipf,
            "pareto" => OffsetDistributionKind.Pareto,
            "normal" => OffsetDistributionKind.Normal,
            _ => null,
        };
        if (kind is null)
        {
            error = parts[0] is "zoned" or "zoned_abs"
                ? $"'{parts[0]}' distributions are not supported (random, zipf:THETA, pareto:H, normal:DEV)"
                : "must be random, zipf[:THETA[:CENTER]], pareto[:H[:CENTER]] or normal[:DEV[:CENTER]]";
            return null;
        }
        if (kind == OffsetDistributionKind.Random)
        {
            if (parts.Length > 1)
                error = "random takes no value";
            return parts.Length > 1 ? null : Uniform;
        }
        if (parts.Length > 3)
        {
            error = "at most a value and a center (KIND:VALUE:CENTER)";
            return null;
        }
        double value = kind switch
        {
            OffsetDistributionKind.Zipf => DefaultZipfTheta,
            OffsetDistributionKind.Pareto => DefaultParetoH,
            _ => 0,
        };
        if (parts.Length > 1 && !TryNumber(parts[1], out value))
        {
            error = $"'{parts[1]}' is not a number";
            return null;
        }
        error = kind switch
        {
            OffsetDistributionKind.Zipf when !(value > 0) || value == 1 => "zipf theta must be above 0 and not 1",
            OffsetDistributionKind.Pareto when !(value > 0 && value < 1) => "pareto h must be above 0 and below 1",
            OffsetDistributionKind.Normal when !(value >= 0 && value < 100) => "normal deviation must be 0 to below 100 (percent)",
            _ => "",
        };
        if (error.Length > 0)
            return null;
        double? center = null;
        if (parts.Length == 3)
        {
            if (!TryNumber(parts[2], out double c) || c < 0 || c > 1)
            {
                error = $"center '{parts[2]}' must be a number from 0 to 1";
                return null;
            }
            center = c;
        }
        return new OffsetDistribution(kind.Value, value, center);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>The spelling fio's JSON "job options" would show (for reports).</summary>
    public override string ToString() => Kind switch
    {
        OffsetDistributionKind.Random => "random",
        _ => $"{Kind.ToString().ToLowerInvariant()}:{Value.ToString(CultureInfo.InvariantCulture)}"
            + (Center is { } c ? ":" + c.ToString(CultureInfo.InvariantCulture) : ""),
    };
}
