using System.Text;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// The changing image commands: what they write must pass e2fsck -fn and read the same in debugfs, and a command
/// that fails leaves no half-made result behind.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WriteCommandTests : IDisposable
{
    private readonly TestTree _tree = new();

    [OracleFact("mke2fs", "e2fsck", "debugfs")]
    public void Cp_r_of_a_host_tree_into_an_image_passes_e2fsck_and_reads_back_the_same_in_debugfs_and_hwstack()
    {
        string image = _tree.Scratch("target.img");
        HostTool.MakeImage(image, null, 24L << 20, "-b", "1024");
        Cli.Ok("cp", "-r", _tree.Root, $"{image}:/");
        AssertClean(image);

        foreach (string relative in new[] { "sizes/f1", "sizes/f70001", "sizes/f1048579", "hard/sub/c" })
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(_tree.Root, relative));
            Assert.True(expected.AsSpan().SequenceEqual(DebugfsCat(image, $"/tree/{relative}")), $"debugfs cat /tree/{relative} differs");
        }
        Assert.Contains("Links: 3", HostTool.Debugfs(image, "stat /tree/hard/b"));

        string back = _tree.Scratch("back");
        Cli.Ok("cp", "-r", $"{image}:/tree", back);
        TreeAssert.Same(_tree.Root, back);
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs")]
    public void Cp_of_a_single_file_keeps_its_bytes_mode_and_time_and_cp_between_images_works()
    {
        string first = _tree.Scratch("first.img");
        string second = _tree.Scratch("second.img");
        HostTool.MakeImage(first, null, 8L << 20, "-b", "4096");
        HostTool.MakeImage(second, null, 8L << 20, "-b", "1024");
        Cli.Ok("cp", Path.Combine(_tree.Root, "modes", "m4755"), $"{first}:/suid");
        Cli.Ok("cp", $"{first}:/suid", $"{second}:/");
        AssertClean(first);
        AssertClean(second);
        string listing = Cli.Ok("ls", "-l", $"{second}:/suid");
        Assert.StartsWith("-rwsr-xr-x 1 0 0 10 ", listing);
        Assert.Equal("mode 4755\n", Encoding.Latin1.GetString(DebugfsCat(second, "/suid")));
        long mtime = File.GetLastWriteTimeUtc(Path.Combine(_tree.Root, "modes", "m4755")).Ticks;
        Assert.Contains($"mtime: 0x{(mtime - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond:x8}", HostTool.Debugfs(second, "stat /suid"));
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs")]
    public void Mkdir_ln_mv_and_rm_change_the_tree_as_debugfs_then_sees_it()
    {
        string image = _tree.Scratch("edit.img");
        HostTool.MakeImage(image, Path.Combine(_tree.Root, "hard"), 8L << 20, "-b", "1024");
        Cli.Ok("mkdir", "-p", $"{image}:/srv/www/static");
        Cli.Ok("mkdir", "-p", $"{image}:/srv/www");
        Cli.Ok("ln", "-s", "../a", $"{image}:/srv/link");
        Cli.Ok("ln", $"{image}:/a", $"{image}:/srv/www");
        Cli.Ok("mv", $"{image}:/sub", "/srv/moved");
        Cli.Ok("rm", $"{image}:/b");
        AssertClean(image);

        Assert.Equal("srv\n", Cli.Ok("ls", $"{image}:/").Replace("lost+found\n", "").Replace("a\n", ""));
        Assert.Equal("link\nmoved\nwww\n", Cli.Ok("ls", $"{image}:/srv"));
        Assert.Contains("link -> ../a", Cli.Ok("ls", "-l", $"{image}:/srv"));
        Assert.Equal("linked three times\n", Encoding.Latin1.GetString(DebugfsCat(image, "/srv/www/a")));
        Assert.Contains("Links: 3", HostTool.Debugfs(image, "stat /a"));
        Assert.Contains("\"c\"", HostTool.Debugfs(image, "ls /srv/moved").Replace(" c ", " \"c\" "));

        Assert.Contains("Is a directory", Cli.Fails(2, "rm", $"{image}:/srv"));
        Assert.Contains("File exists", Cli.Fails(2, "mkdir", $"{image}:/srv"));
        Cli.Ok("rm", "-r", $"{image}:/srv");
        AssertClean(image);
        Assert.Contains("No such file or directory", Cli.Fails(2, "ls", $"{image}:/srv"));
        Assert.Contains("Links: 1", HostTool.Debugfs(image, "stat /a"));
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_copy_that_fills_the_filesystem_fails_with_one_line_and_leaves_no_partial_file()
    {
        string image = _tree.Scratch("full.img");
        HostTool.MakeImage(image, null, 2L << 20, "-b", "1024", "-m", "0");
        string big = _tree.Scratch("big");
        File.WriteAllBytes(big, TestTree.Pattern(3 << 20, 9));
        string line = Cli.Fails(2, "cp", big, $"{image}:/big");
        Assert.Equal($"hwstack: {image}:/big: No space left on device", line);
        Assert.Contains("No such file or directory", Cli.Fails(2, "ls", $"{image}:/big"));
        AssertClean(image);

        string tree = Cli.Fails(2, "cp", "-r", _tree.Root, $"{image}:/");
        Assert.Contains("No space left on device", tree);
        Assert.Equal("lost+found\n", Cli.Ok("ls", image));
        AssertClean(image);
    }

    [Fact]
    public void Mv_to_another_image_is_refused_with_one_line()
    {
        Assert.Contains("within one image", Cli.Fails(2, "mv", "a.img:/x", "b.img:/y"));
    }

    private static void AssertClean(string image)
    {
        (int exit, string output) = HostTool.Run("e2fsck", "-fn", image);
        Assert.True(exit == 0, $"e2fsck -fn {image} exited {exit}:\n{output}");
    }

    private static byte[] DebugfsCat(string image, string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("debugfs") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-R", $"cat \"{path}\"", image })
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        _ = error.Result;
        return bytes.ToArray();
    }

    public void Dispose() => _tree.Dispose();
}
