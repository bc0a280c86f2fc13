using System.Diagnostics;

namespace Hardware.Cli.Tests.Images;

/// <summary>Runs a host tool (mke2fs, e2fsck, debugfs) with a fixed fake time and returns its exit code and output.</summary>
internal static class HostTool
{
    public static (int Exit, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["E2FSPROGS_FAKE_TIME"] = "1700000000";
        start.Environment["TZ"] = "UTC";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>mke2fs -t ext2 of <paramref name="sizeBytes"/> over <paramref name="tree"/> (or empty); fails the test when it fails.</summary>
    public static void MakeImage(string image, string? tree, long sizeBytes, params string[] options)
    {
        var arguments = new List<string> { "-q", "-F", "-t", "ext2" };
        arguments.AddRange(options);
        if (tree is not null)
            arguments.AddRange(["-d", tree]);
        arguments.AddRange([image, $"{sizeBytes / 1024}k"]);
        (int exit, string output) = Run("mke2fs", [.. arguments]);
        Assert.True(exit == 0, $"mke2fs {string.Join(' ', arguments)} failed: {output}");
    }

    /// <summary>debugfs -R REQUEST IMAGE, standard output only (debugfs prints its banner on standard error).</summary>
    public static string Debugfs(string image, string request)
    {
        var start = new ProcessStartInfo("debugfs") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-R", request, image })
            start.ArgumentList.Add(argument);
        start.Environment["TZ"] = "UTC";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = error.Result;
        Assert.True(process.ExitCode == 0, $"debugfs -R '{request}' {image} failed");
        return output;
    }
}

/// <summary>Facts about host image files.</summary>
internal static class HostImage
{
    /// <summary>Bytes the file really occupies on the host (st_blocks * 512): less than its length when sparse.</summary>
    public static long AllocatedBytes(string path) => Hardware.Cli.Images.HostFiles.Lstat(path)!.Value.AllocatedBlocks * 512;
}
