using System.Diagnostics;
using Hardware.Vfs.Ext2.Check;
using Hardware.Vfs.Tests.Cache;

namespace Hardware.Vfs.Tests.Ext2.Check;

/// <summary>Runs our checker on an image placed on an emulated disk, and Debian's e2fsck -fn on the same bytes.</summary>
internal static class CheckRig
{
    /// <summary>Our verdict on <paramref name="image"/>, read through a whole emulated machine's block layer and page cache.</summary>
    public static Ext2CheckReport Check(byte[] image)
    {
        using var rig = new CacheRig();
        rig.Store.Write(0, image);
        Ext2CheckReport report = rig.Run(() => Ext2Checker.CheckAsync(rig.Disk, rig.Cache).AsTask());
        Assert.Empty(rig.Cache.AddressSpaces);
        return report;
    }

    /// <summary>e2fsck -fn on a copy of <paramref name="image"/>: its exit status and output.</summary>
    public static (int ExitCode, string Output) E2fsck(byte[] image, string work)
    {
        string path = Path.Combine(work, $"fsck-{Guid.NewGuid():N}.img");
        System.IO.File.WriteAllBytes(path, image);
        try
        {
            var start = new ProcessStartInfo("e2fsck") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in new[] { "-f", "-n", path })
                start.ArgumentList.Add(argument);
            using System.Diagnostics.Process e2fsck = System.Diagnostics.Process.Start(start)!;
            // stdout first: its last line is the summary; stderr only carries the version banner.
            Task<string> errors = e2fsck.StandardError.ReadToEndAsync();
            string output = e2fsck.StandardOutput.ReadToEnd() + errors.Result;
            e2fsck.WaitForExit();
            return (e2fsck.ExitCode, output.Replace(path, "IMAGE"));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>Both verdicts with the evidence, for assertion messages.</summary>
    public static string Describe(Ext2CheckReport ours, (int ExitCode, string Output) theirs) =>
        $"ours: {(ours.IsClean ? "clean" : "problems")}\n  {string.Join("\n  ", ours.Problems.Take(12))}\ne2fsck -fn exit {theirs.ExitCode}:\n{theirs.Output}";
}
