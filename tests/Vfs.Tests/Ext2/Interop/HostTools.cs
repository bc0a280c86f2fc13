using System.Diagnostics;

namespace Hardware.Vfs.Tests.Ext2.Interop;

/// <summary>Runs a host tool (e2fsck, debugfs, mount, diff) and returns its exit status and its output.</summary>
internal static class HostTools
{
    public static (int Exit, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["E2FSPROGS_FAKE_TIME"] = "1700000000";
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>e2fsck -fn: exit 0 means the image is clean (and nothing was changed).</summary>
    public static void AssertCleanByE2fsck(string image)
    {
        (int exit, string output) = Run("e2fsck", "-fn", image);
        Assert.True(exit == 0, $"e2fsck -fn {image} exited {exit}:\n{output}");
    }

    /// <summary>debugfs -R "<paramref name="request"/>" on the image.</summary>
    public static string Debugfs(string image, string request)
    {
        (int exit, string output) = Run("debugfs", "-R", request, image);
        Assert.True(exit == 0, $"debugfs -R \"{request}\" exited {exit}:\n{output}");
        return output;
    }
}

/// <summary>
/// Whether this machine lets the Linux kernel mount a raw image (root, loop devices, ext2 support): probed once by
/// mounting a tiny image; a test needing it is skipped with the reason elsewhere.
/// </summary>
public sealed class KernelMountFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(Probe);

    public KernelMountFactAttribute() => Skip = Reason.Value;

    private static string? Probe()
    {
        if (Environment.UserName != "root")
            return "the kernel mount test needs root (mount -o loop)";
        string work = Path.Combine(Path.GetTempPath(), $"hwstack-loop-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        string image = Path.Combine(work, "probe.img");
        string target = Path.Combine(work, "mnt");
        Directory.CreateDirectory(target);
        try
        {
            using (FileStream file = System.IO.File.Create(image))
                file.SetLength(1 << 20);
            (int made, string madeOutput) = HostTools.Run("mke2fs", "-q", "-F", "-t", "ext2", image);
            if (made != 0)
                return $"mke2fs failed: {madeOutput.Trim()}";
            (int mounted, string output) = HostTools.Run("mount", "-o", "loop,ro", image, target);
            if (mounted != 0)
                return $"this machine cannot mount -o loop: {output.Trim()}";
            HostTools.Run("umount", target);
            return null;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
