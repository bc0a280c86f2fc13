using System.Diagnostics;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>
/// Runs util-linux tools (the Debian package fdisk ships sfdisk and fdisk) on image files. A missing tool
/// fails the test with the install hint: the oracle tests are never skipped.
/// </summary>
public static class UtilLinux
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static string Locate(string tool)
    {
        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException(
            $"util-linux {tool} was not found in PATH or {string.Join(", ", SystemDirectories)}: " +
            "install the Debian package fdisk (apt-get install fdisk); CI installs it");
    }

    /// <summary>Runs <paramref name="tool"/> with <paramref name="input"/> on stdin; returns stdout, failing on a non-zero exit.</summary>
    public static string Run(string tool, IEnumerable<string> arguments, string input = "")
    {
        var start = new ProcessStartInfo(Locate(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish in 30 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}
