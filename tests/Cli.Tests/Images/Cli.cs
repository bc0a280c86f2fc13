using Hardware.Cli.Commands;

namespace Hardware.Cli.Tests.Images;

/// <summary>Runs hwstack in-process: exit status, standard output and standard error.</summary>
internal static class Cli
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed silently on standard error; returns its output.</summary>
    public static string Ok(params string[] args)
    {
        var (exit, output, error) = Run(args);
        Assert.True(exit == 0 && error.Length == 0, $"hwstack {string.Join(' ', args)} exited {exit}: {error}");
        return output;
    }

    /// <summary>Runs a command that must fail with <paramref name="exit"/> and exactly one line on standard error; returns it.</summary>
    public static string Fails(int exit, params string[] args)
    {
        var (actual, output, error) = Run(args);
        Assert.True(actual == exit, $"hwstack {string.Join(' ', args)} exited {actual}, expected {exit}: {error}");
        string[] lines = error.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("hwstack: ", StringComparison.Ordinal), $"expected one error line, got:\n{error}");
        Assert.DoesNotContain("   at ", error);
        return lines[0];
    }
}
