using System.Globalization;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// fio's value syntax: integers with size suffixes (k, m, g, t, p, optionally followed by b or ib), times with unit
/// suffixes (us, ms, s, m, h, d) and booleans. Each parser returns null and an error text instead of throwing.
/// </summary>
/// <remarks>
/// fio's kb_base decides what a suffix means. Its default, 1024, is the compatibility mode: k, kb and K are 1024 and
/// the IEC spellings kib, KiB are 1000 (backwards, to keep old job files working). kb_base=1000 follows the standards:
/// k and kB are 1000, KiB is 1024.
/// </remarks>
public static class FioValues
{
    public const long Microsecond = 1_000;
    public const long Millisecond = 1_000_000;
    public const long Second = 1_000_000_000;

    /// <summary>A size in bytes: "4096", "4k", "64KiB", "1g", "0x1000".</summary>
    public static long? ParseSize(string text, int kbBase, out string error)
    {
        error = "";
        string value = text.Trim();
        int digits = CountNumberPrefix(value, out bool hex);
        if (digits == 0)
        {
            error = $"'{text}' is not a size (a number with an optional k, m, g, t or p suffix)";
            return null;
        }
        if (!TryParseNumber(value[..digits], hex, out long number))
        {
            error = $"'{text}' is too large";
            return null;
        }
        string suffix = value[digits..].Trim();
        if (suffix.Length == 0)
            return number;
        if (!TrySizeMultiplier(suffix, kbBase, out long multiplier))
        {
            error = $"'{text}' has an unknown size suffix '{suffix}' (k, m, g, t or p, optionally followed by b or ib)";
            return null;
        }
        try
        {
            return checked(number * multiplier);
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large";
            return null;
        }
    }

    /// <summary>A duration in nanoseconds; a bare number is in <paramref name="defaultUnitNs"/> (fio: seconds for runtime, microseconds for thinktime).</summary>
    public static long? ParseTime(string text, long defaultUnitNs, out string error)
    {
        error = "";
        string value = text.Trim();
        int digits = CountNumberPrefix(value, out bool hex);
        if (digits == 0 || hex)
        {
            error = $"'{text}' is not a time (a number with an optional us, ms, s, m, h or d suffix)";
            return null;
        }
        if (!TryParseNumber(value[..digits], hex: false, out long number))
        {
            error = $"'{text}' is too large";
            return null;
        }
        long? unit = value[digits..].Trim().ToLowerInvariant() switch
        {
            "" => defaultUnitNs,
            "ns" or "nsec" => 1,
            "us" or "usec" => Microsecond,
            "ms" or "msec" => Millisecond,
            "s" or "sec" => Second,
            "m" or "min" => 60 * Second,
            "h" => 3600 * Second,
            "d" => 86400 * Second,
            _ => null,
        };
        if (unit is null)
        {
            error = $"'{text}' has an unknown time suffix (us, ms, s, m, h or d)";
            return null;
        }
        try
        {
            return checked(number * unit.Value);
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too long";
            return null;
        }
    }

    /// <summary>A plain integer (decimal or 0x hex), with size suffixes allowed as fio allows them on integers.</summary>
    public static long? ParseInteger(string text, out string error) => ParseSize(text, 1024, out error);

    /// <summary>fio's booleans: 1/0, and true/false, yes/no, on/off.</summary>
    public static bool? ParseBool(string text, out string error)
    {
        error = "";
        switch (text.Trim().ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on":
                return true;
            case "0" or "false" or "no" or "off":
                return false;
            default:
                error = $"'{text}' is not a boolean (1 or 0)";
                return null;
        }
    }

    private static int CountNumberPrefix(string value, out bool hex)
    {
        hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        int start = hex ? 2 : 0;
        int end = start;
        while (end < value.Length && (hex ? char.IsAsciiHexDigit(value[end]) : char.IsAsciiDigit(value[end])))
            end++;
        return end == start ? 0 : end;
    }

    private static bool TryParseNumber(string digits, bool hex, out long number) => hex
        ? long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number) && number >= 0
        : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);

    private static bool TrySizeMultiplier(string suffix, int kbBase, out long multiplier)
    {
        multiplier = 0;
        string lower = suffix.ToLowerInvariant();
        bool iec = lower.EndsWith("ib", StringComparison.Ordinal) && lower.Length == 3;
        string prefix = iec ? lower[..1]
            : lower.Length == 2 && lower[1] == 'b' ? lower[..1]
            : lower;
        int power = prefix switch
        {
            "b" when !iec && lower == "b" => 0,
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => -1,
        };
        if (power < 0)
            return false;
        // kb_base=1024 (fio's default) reads the IEC spelling as decimal; kb_base=1000 reads it as binary.
        bool binary = kbBase == 1024 ? !iec : iec;
        long unit = binary ? 1024 : 1000;
        multiplier = 1;
        for (int i = 0; i < power; i++)
            multiplier *= unit;
        return true;
    }
}
