using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Hardware.BlockLayer.Tests.Tracing;

/// <summary>Runs Debian's blkparse and btt (package blktrace) as the tests' oracle.</summary>
internal static partial class BlktraceTools
{
    private const int TimeoutMilliseconds = 60_000;

    public static string Blkparse(string workingDirectory, params string[] arguments) => Run("blkparse", workingDirectory, arguments);

    public static string Btt(string workingDirectory, params string[] arguments) => Run("btt", workingDirectory, arguments);

    /// <summary>
    /// blkparse's stdout without the "Input file X added" notice (printed through a different stdio stream, so its
    /// place varies) and with thousands separators removed (blkparse asks for the en_US locale where it exists).
    /// </summary>
    public static string Normalize(string blkparseOutput)
    {
        IEnumerable<string> lines = blkparseOutput.Split('\n')
            .Where(line => !line.StartsWith("Input file ", StringComparison.Ordinal))
            .Select(line => EventLine().IsMatch(line) ? line : ThousandsSeparator().Replace(line, ""));
        return string.Join('\n', lines);
    }

    private static string Run(string tool, string workingDirectory, string[] arguments)
    {
        string path = Locate(tool);
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeoutMilliseconds))
        {
            process.Kill();
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within {TimeoutMilliseconds / 1000} s");
        }

        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static string Locate(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, tool);
            if (directory.Length > 0 && File.Exists(candidate))
                return candidate;
        }

        Assert.Fail($"{tool} is not installed: these tests use Debian's blktrace tools as their oracle; install the blktrace package (apt-get install blktrace)");
        return tool;
    }

    [GeneratedRegex(@"(?<=\d),(?=\d{3}(?!\d))")]
    private static partial Regex ThousandsSeparator();

    /// <summary>An event line starts with the device, "major,minor".</summary>
    [GeneratedRegex(@"^\s*\d+,\d+\s")]
    public static partial Regex EventLine();
}
