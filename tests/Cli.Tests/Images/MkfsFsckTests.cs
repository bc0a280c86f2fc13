using System.Text.RegularExpressions;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// hwstack mkfs against e2fsck -fn and dumpe2fs, and hwstack fsck's verdict against e2fsck -fn's on clean images and
/// on images damaged with debugfs -w.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MkfsFsckTests : IDisposable
{
    private readonly TestTree _tree = new();

    [OracleFact("e2fsck", "dumpe2fs")]
    public void Mkfs_makes_a_filesystem_e2fsck_passes_with_the_layout_asked_for()
    {
        (string Size, string[] Options, int BlockSize, int InodeSize, long? Inodes, long? Reserved, string Label)[] cases =
        [
            ("8M", ["--block-size", "1024", "--inode-size", "128", "--inodes", "512", "--reserved-percent", "0"], 1024, 128, 512, 0, ""),
            ("64M", ["--label", "data", "--seed", "7"], 1024, 256, null, 3276, "data"),
            ("96M", ["-b", "4096", "-I", "256", "-m", "1", "-L", "big"], 4096, 256, null, 245, "big"),
        ];
        foreach (var c in cases)
        {
            string image = _tree.Scratch($"mkfs-{c.Size}.img");
            string output = Cli.Ok(["mkfs", image, "--size", c.Size, .. c.Options]);
            Assert.Contains($"blocks of {c.BlockSize} bytes", output);
            AssertClean(image);
            string header = HostTool.Run("dumpe2fs", "-h", image).Output;
            Assert.Equal(c.BlockSize, (int)Header(header, "Block size"));
            Assert.Equal(c.InodeSize, (int)Header(header, "Inode size"));
            Assert.Equal(ImageBytes(c.Size) / c.BlockSize, Header(header, "Block count"));
            if (c.Inodes is { } inodes)
                Assert.Equal(inodes, Header(header, "Inode count"));
            if (c.Reserved is { } reserved)
                Assert.Equal(reserved, Header(header, "Reserved block count"));
            Assert.Matches($@"Filesystem volume name:\s+{(c.Label.Length == 0 ? "<none>" : c.Label)}\n", header);
            Assert.Equal(ImageBytes(c.Size), new FileInfo(image).Length);
            Assert.Equal("lost+found\n", Cli.Ok("ls", image));
        }
    }

    [OracleFact("e2fsck", "dumpe2fs")]
    public void Mkfs_makes_the_image_sparse_extends_a_short_one_and_never_shrinks_a_long_one()
    {
        string image = _tree.Scratch("sparse.img");
        Cli.Ok("mkfs", image, "--size", "256M", "--seed", "1");
        Assert.Equal(256L << 20, new FileInfo(image).Length);
        Assert.True(HostImage.AllocatedBytes(image) < 32L << 20, "a fresh image should hold only its metadata");

        Cli.Ok("mkfs", image, "--size", "16M", "--seed", "1");
        Assert.Equal(256L << 20, new FileInfo(image).Length);
        AssertClean(image);
        Assert.Equal(16384, Header(HostTool.Run("dumpe2fs", "-h", image).Output, "Block count"));
    }

    [OracleFact("e2fsck")]
    public void The_same_seed_and_time_make_the_same_image()
    {
        string first = _tree.Scratch("seed-1.img");
        string second = _tree.Scratch("seed-2.img");
        Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", "1700000000");
        try
        {
            Cli.Ok("mkfs", first, "--size", "8M", "--seed", "42");
            Cli.Ok("mkfs", second, "--size", "8M", "--seed", "42");
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOURCE_DATE_EPOCH", null);
        }
        Assert.True(File.ReadAllBytes(first).AsSpan().SequenceEqual(File.ReadAllBytes(second)));
    }

    [Fact]
    public void Bad_mkfs_options_are_one_line_exit_2_and_leave_no_file()
    {
        string image = _tree.Scratch("bad.img");
        Assert.Contains("block size 3000", Cli.Fails(2, "mkfs", image, "--size", "8M", "--block-size", "3000"));
        Assert.Contains("size '12Q'", Cli.Fails(2, "mkfs", image, "--size", "12Q"));
        Assert.Contains("inode", Cli.Fails(2, "mkfs", image, "--size", "8M", "--inode-size", "100"));
        Assert.False(File.Exists(image));
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void Fsck_agrees_with_e2fsck_on_clean_images()
    {
        string packed = _tree.Scratch("packed.img");
        HostTool.MakeImage(packed, _tree.Root, 24L << 20, "-b", "1024");
        string made = _tree.Scratch("made.img");
        Cli.Ok("mkfs", made, "--size", "16M", "--seed", "3");
        foreach (string image in new[] { packed, made })
        {
            AssertClean(image);
            string output = Cli.Ok("fsck", image);
            string e2fsck = HostTool.Run("e2fsck", "-fn", image).Output;
            string summary = e2fsck.Split('\n').First(line => line.Contains(" files (", StringComparison.Ordinal));
            Assert.Equal(summary[(summary.IndexOf(':') + 1)..], output.TrimEnd('\n').Split('\n')[^1][(image.Length + 1)..]);
        }
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs")]
    public void Fsck_finds_problems_where_e2fsck_does_and_exits_4()
    {
        string pristine = _tree.Scratch("pristine.img");
        HostTool.MakeImage(pristine, _tree.Root, 24L << 20, "-b", "1024");
        string[] damages =
        [
            "set_inode_field /hard/a links_count 7",
            "clri /sizes/f1025",
            "freeb 300",
            "set_inode_field /deep/a/b mode 0100644",
        ];
        foreach (string damage in damages)
        {
            string image = _tree.Scratch("damaged.img");
            File.Copy(pristine, image, overwrite: true);
            (int edited, string editOutput) = HostTool.Run("debugfs", "-w", "-R", damage, image);
            Assert.True(edited == 0, editOutput);
            (int e2fsck, string e2fsckOutput) = HostTool.Run("e2fsck", "-fn", image);
            Assert.True(e2fsck == 4, $"{damage}: e2fsck -fn exited {e2fsck}:\n{e2fsckOutput}");
            var (exit, output, error) = Cli.Run("fsck", image);
            Assert.True(exit == 4, $"{damage}: hwstack fsck exited {exit}: {output}{error}");
            Assert.Contains(" problem", output.TrimEnd('\n').Split('\n')[^1]);
            byte[] after = File.ReadAllBytes(image);
            Assert.Equal(4, Cli.Run("fsck", image).Exit);
            Assert.True(after.AsSpan().SequenceEqual(File.ReadAllBytes(image)), "fsck changed the image");
        }
    }

    [Fact]
    public void Fsck_of_something_that_is_not_ext2_is_one_line_and_exit_2()
    {
        string image = _tree.Scratch("zeros.img");
        File.WriteAllBytes(image, new byte[2 << 20]);
        Assert.Contains($"{image}: not an ext2 filesystem", Cli.Fails(2, "fsck", image));
        Assert.Contains("No such file", Cli.Fails(2, "fsck", _tree.Scratch("missing.img")));
    }

    private static long ImageBytes(string size) => long.Parse(size[..^1]) << 20;

    private static long Header(string header, string name) => long.Parse(Regex.Match(header, $@"^{name}:\s+(\d+)", RegexOptions.Multiline).Groups[1].Value);

    private static void AssertClean(string image)
    {
        (int exit, string output) = HostTool.Run("e2fsck", "-fn", image);
        Assert.True(exit == 0, $"e2fsck -fn {image} exited {exit}:\n{output}");
    }

    public void Dispose() => _tree.Dispose();
}
