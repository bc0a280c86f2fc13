using System.Globalization;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>Text forms of tunable values: integers, and durations with a unit (ns, us, ms, s).</summary>
public static class TunableText
{
    /// <summary>Nanoseconds per unit, for the units durations may be written in.</summary>
    public static bool TryGetTimeUnit(string unit, out long nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => 1,
            "us" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            _ => 0,
        };
        return nanoseconds != 0;
    }

    /// <summary>
    /// Parses "500ms", "0.5 s", "125000us" or a bare number, which is taken in <paramref name="defaultUnitNs"/>
    /// (as sysfs takes it). Fractions are allowed when the result is a whole number of nanoseconds.
    /// </summary>
    public static bool TryParseDuration(string text, long defaultUnitNs, out long nanoseconds)
    {
        nanoseconds = 0;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int split = span.Length;
        while (split > 0 && char.IsAsciiLetter(span[split - 1]))
            split--;
        ReadOnlySpan<char> number = span[..split].TrimEnd();
        ReadOnlySpan<char> unit = span[split..];
        long unitNs = defaultUnitNs;
        if (!unit.IsEmpty && !TryGetTimeUnit(unit.ToString(), out unitNs))
            return false;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            return false;
        decimal ns = value * unitNs;
        if (ns > long.MaxValue || ns != decimal.Truncate(ns))
            return false;
        nanoseconds = (long)ns;
        return true;
    }

    /// <summary>A duration in <paramref name="unitNs"/> units: whole numbers plainly, fractions with a point.</summary>
    public static string FormatDuration(long nanoseconds, long unitNs)
    {
        if (nanoseconds % unitNs == 0)
            return (nanoseconds / unitNs).ToString(CultureInfo.InvariantCulture);
        return ((decimal)nanoseconds / unitNs).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A plain decimal integer, optionally followed by <paramref name="unit"/> ("16384", "16384KiB").</summary>
    public static bool TryParseInteger(string text, string unit, out long value)
    {
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (unit.Length > 0 && span.EndsWith(unit, StringComparison.Ordinal))
            span = span[..^unit.Length].TrimEnd();
        return long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
