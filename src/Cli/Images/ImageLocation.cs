namespace Hardware.Cli.Images;

/// <summary>
/// An operand of the image commands: <c>IMAGE:PATH</c> (a path inside the image file IMAGE; relative paths start at
/// the image's root) or, where a command also takes host files (cp), a plain host path.
/// </summary>
public sealed record ImageLocation(string Image, string Path)
{
    /// <summary>How the location is named in messages: <c>disk.img:/etc/passwd</c>.</summary>
    public override string ToString() => $"{Image}:{Path}";

    /// <summary>
    /// Splits <c>IMAGE:PATH</c> at its first colon; a bare <c>IMAGE</c> means the root when
    /// <paramref name="rootIfBare"/>. The path is normalised to start with '/'.
    /// </summary>
    public static bool TryParse(string operand, bool rootIfBare, out ImageLocation? location, out string error)
    {
        location = null;
        int colon = operand.IndexOf(':');
        if (colon == 0)
        {
            error = $"'{operand}': the image file name is missing before ':'";
            return false;
        }
        if (colon < 0 && !rootIfBare)
        {
            error = $"'{operand}': expected IMAGE:PATH";
            return false;
        }
        string image = colon < 0 ? operand : operand[..colon];
        string path = colon < 0 ? "/" : operand[(colon + 1)..];
        location = new ImageLocation(image, Normalise(path));
        error = "";
        return true;
    }

    /// <summary>
    /// For commands taking either kind (cp): an operand with a colon is an image location unless it names an
    /// existing host file as written; one without is a host path.
    /// </summary>
    public static bool IsImageOperand(string operand) =>
        operand.IndexOf(':') > 0 && !System.IO.File.Exists(operand) && !Directory.Exists(operand);

    private static string Normalise(string path)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts);
    }
}
