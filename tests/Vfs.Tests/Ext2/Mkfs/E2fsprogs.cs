using System.Diagnostics;
using System.Globalization;
using Hardware.Vfs.Ext2.Mkfs;

namespace Hardware.Vfs.Tests.Ext2.Mkfs;

/// <summary>Runs Debian's e2fsprogs on host image files: mke2fs with the options mkfs was given, e2fsck, dumpe2fs.</summary>
internal static class E2fsprogs
{
    /// <summary>`mke2fs -q -F -t ext2` with the command-line equivalent of <paramref name="options"/> on a new file of <paramref name="bytes"/>.</summary>
    public static void MakeImage(string path, long bytes, Ext2MkfsOptions options)
    {
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            file.SetLength(bytes);
        var arguments = new List<string> { "-q", "-F", "-t", "ext2" };
        if (options.BlockSize != 0)
            arguments.AddRange(["-b", $"{options.BlockSize}"]);
        if (options.InodeSize != 0)
            arguments.AddRange(["-I", $"{options.InodeSize}"]);
        if (options.InodeCount != 0)
            arguments.AddRange(["-N", $"{options.InodeCount}"]);
        if (options.InodeRatio != 0)
            arguments.AddRange(["-i", $"{options.InodeRatio}"]);
        arguments.AddRange(["-m", options.ReservedPercent.ToString(CultureInfo.InvariantCulture)]);
        if (options.Label.Length > 0)
            arguments.AddRange(["-L", options.Label]);
        arguments.AddRange(["-r", $"{options.Revision}"]);
        arguments.Add(path);
        (int exit, string output) = Run("mke2fs", arguments, options.TimeSeconds);
        Assert.True(exit == 0, $"mke2fs {string.Join(' ', arguments)} failed ({exit}): {output}");
    }

    /// <summary>`e2fsck -fn`: exit status and what it printed.</summary>
    public static (int Exit, string Output) Check(string path) => Run("e2fsck", ["-fn", path]);

    /// <summary>`dumpe2fs` (superblock and every group) without the lines that are random by design.</summary>
    public static string Dump(string path)
    {
        (int exit, string output) = Run("dumpe2fs", [path]);
        Assert.True(exit == 0, $"dumpe2fs {path} failed ({exit}): {output}");
        IEnumerable<string> lines = output.Split('\n')
            .Where(line => !line.StartsWith("dumpe2fs ", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("Filesystem UUID:", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("Directory Hash Seed:", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    public static (int Exit, string Output) Run(string tool, IEnumerable<string> arguments, long fakeTime = 0)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        if (fakeTime != 0)
            start.Environment["E2FSPROGS_FAKE_TIME"] = fakeTime.ToString(CultureInfo.InvariantCulture);
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
