using System.Globalization;

namespace Hardware.Cli.Images;

/// <summary>Sizes as mke2fs and truncate(1) write them: a number with an optional K, M, G or T suffix (powers of 1024).</summary>
public static class ImageSize
{
    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        string trimmed = text.Trim();
        int shift = 0;
        if (trimmed.Length > 0 && char.IsLetter(trimmed[^1]))
        {
            shift = char.ToUpperInvariant(trimmed[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => -1 };
            trimmed = trimmed[..^1];
        }
        if (shift < 0 || !long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number <= 0)
        {
            error = $"size '{text}' is not a positive number with an optional K, M, G or T suffix";
            return false;
        }
        if (number > long.MaxValue >> shift)
        {
            error = $"size '{text}' is too large";
            return false;
        }
        bytes = number << shift;
        error = "";
        return true;
    }
}
