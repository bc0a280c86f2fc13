namespace Hardware.Cli.Tests.Images;

/// <summary>
/// A test whose oracle is a Debian tool (mke2fs, e2fsck, debugfs). Skipped with the package to install where the tool
/// is missing; under CI (CI=true, where the packages are installed) it always runs, so a missing tool fails there.
/// </summary>
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute(params string[] tools)
    {
        string[] missing = tools.Where(tool => !OnPath(tool)).ToArray();
        bool ci = Environment.GetEnvironmentVariable("CI") is "1" or "true" or "True";
        if (missing.Length > 0 && !ci)
            Skip = $"needs {string.Join(", ", missing)}: apt-get install e2fsprogs (under CI this test never skips)";
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, tool)));
}
