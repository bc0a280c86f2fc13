namespace Hardware.BlockLayer.Tests;

/// <summary>
/// A test that runs a Debian tool as its oracle (sfdisk, fdisk, blkparse, btt). On a machine without the tool
/// it is skipped with the package to install; under CI (CI=true, where .ci/run installs the packages) it always
/// runs, so a missing tool fails there instead of hiding.
/// </summary>
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute(params string[] tools)
    {
        Skip = OracleTools.SkipReason(tools);
    }
}

/// <inheritdoc cref="OracleFactAttribute"/>
public sealed class OracleTheoryAttribute : TheoryAttribute
{
    public OracleTheoryAttribute(params string[] tools)
    {
        Skip = OracleTools.SkipReason(tools);
    }
}

internal static class OracleTools
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["sfdisk"] = "fdisk",
        ["fdisk"] = "fdisk",
        ["blkparse"] = "blktrace",
        ["btt"] = "blktrace",
        ["mke2fs"] = "e2fsprogs",
        ["e2fsck"] = "e2fsprogs",
        ["debugfs"] = "e2fsprogs",
        ["dumpe2fs"] = "e2fsprogs",
    };

    public static string? SkipReason(string[] tools)
    {
        string[] missing = tools.Where(tool => !OnPath(tool)).ToArray();
        if (missing.Length == 0 || IsCi)
            return null;
        string packages = string.Join(" ", missing.Select(tool => Packages.GetValueOrDefault(tool, tool)).Distinct());
        return $"needs {string.Join(", ", missing)}: apt-get install {packages} (.ci/run does; under CI this test never skips)";
    }

    private static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci && (ci == "1" || ci.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, tool)));
}
