using System.Text;
using System.Text.RegularExpressions;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// The reading image commands on images packed by Debian's mke2fs -d, through the whole emulated stack: what they
/// show must be what the source tree holds and what debugfs reads from the same image.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ReadCommandTests(Mke2fsImages images) : IClassFixture<Mke2fsImages>
{
    [OracleFact("mke2fs")]
    public void Cp_r_of_an_image_root_to_the_host_recreates_the_source_tree_with_modes_links_holes_and_times()
    {
        foreach (int blockSize in new[] { 1024, 4096 })
        {
            string copy = images.Tree.Scratch($"copy-{blockSize}");
            Cli.Ok("cp", "-r", $"{images.Image(blockSize)}:/", copy);
            int compared = TreeAssert.Same(images.Tree.Root, copy, "lost+found");
            Assert.True(compared > 300 + 10 + 8, $"only {compared} entries compared");
        }
    }

    [OracleFact("mke2fs")]
    public void Cat_writes_each_file_byte_for_byte()
    {
        foreach (string relative in new[] { "sizes/f0", "sizes/f1", "sizes/f1025", "sizes/f1048579", "hard/sub/c", "links/fast" })
        {
            string output = Cli.Ok("cat", $"{images.Small}:/{relative}");
            byte[] expected = File.ReadAllBytes(Path.Combine(images.Tree.Root, relative));
            Assert.True(expected.AsSpan().SequenceEqual(Encoding.Latin1.GetBytes(output)), $"{relative}: cat differs from the source");
        }
    }

    [OracleFact("mke2fs", "debugfs")]
    public void Ls_l_shows_the_mode_links_owner_size_and_target_debugfs_reads()
    {
        string listing = Cli.Ok("ls", "-l", $"{images.Large}:/modes");
        string[] lines = listing.TrimEnd('\n').Split('\n');
        Assert.StartsWith("total ", lines[0]);
        Assert.Equal(9, lines.Length - 1);
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string name = fields[^1];
            Inode inode = DebugfsStat(images.Large, $"/modes/{name}");
            Assert.Equal(ModeString(inode.Type, inode.Mode), fields[0]);
            Assert.Equal(inode.Links.ToString(), fields[1]);
            Assert.Equal(inode.Uid.ToString(), fields[2]);
            Assert.Equal(inode.Gid.ToString(), fields[3]);
            Assert.Equal(inode.Size.ToString(), fields[4]);
        }
        Assert.Contains(lines, line => line.StartsWith("-rwsr-xr-x ", StringComparison.Ordinal) && line.EndsWith(" m4755", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("drwxrwxrwt ", StringComparison.Ordinal) && line.EndsWith(" sticky", StringComparison.Ordinal));

        string links = Cli.Ok("ls", "-l", $"{images.Large}:links");
        Assert.Contains("fast -> ../sizes/f1\n", links);
        Assert.Contains("dangling -> nowhere/at/all\n", links);
        Assert.Equal("deep\nhard\nlinks\nlost+found\nmany\nmodes\nsizes\nsparse\n", Cli.Ok("ls", images.Large));
    }

    [OracleFact("mke2fs", "debugfs")]
    public void Stat_reports_the_inode_number_links_size_and_blocks_debugfs_reads()
    {
        foreach (string path in new[] { "/sizes/f70001", "/hard/a", "/sparse", "/deep", "/links/slow" })
        {
            string output = Cli.Ok("stat", $"{images.Small}:{path}");
            Inode inode = DebugfsStat(images.Small, path);
            Assert.Equal(inode.Size.ToString(), Field(output, "Size"));
            Assert.Equal(inode.Blocks.ToString(), Field(output, "Blocks"));
            Assert.Equal(inode.Number.ToString(), Field(output, "Inode"));
            Assert.Equal(inode.Links.ToString(), Field(output, "Links"));
            Assert.Contains($"({Convert.ToString(inode.Mode, 8).PadLeft(4, '0')}/{ModeString(inode.Type, inode.Mode)})", output);
            Assert.Contains($"Modify: {DateTime.UnixEpoch.AddSeconds(inode.ModifySeconds):yyyy-MM-dd HH:mm:ss}.000000000 +0000", output);
        }
        Assert.Contains("IO Block: 1024   regular file", Cli.Ok("stat", $"{images.Small}:/sizes/f1"));
        Assert.Contains("regular empty file", Cli.Ok("stat", $"{images.Small}:/sizes/f0"));
    }

    [OracleFact("mke2fs", "dumpe2fs")]
    public void Df_reports_the_inode_and_free_block_counts_of_the_superblock()
    {
        string output = Cli.Ok("df", images.Small);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        string[] row = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string header = HostTool.Run("dumpe2fs", "-h", images.Small).Output;
        long Header(string name) => long.Parse(Regex.Match(header, $@"^{name}:\s+(\d+)", RegexOptions.Multiline).Groups[1].Value);
        Assert.Equal(images.Small, row[0]);
        Assert.Equal(Header("Free blocks") - Header("Reserved block count"), long.Parse(row[3]));
        Assert.Equal(Header("Inode count"), long.Parse(row[5]));
        Assert.Equal(Header("Inode count") - Header("Free inodes"), long.Parse(row[6]));
        Assert.Equal(Header("Free inodes"), long.Parse(row[7]));
    }

    [OracleFact("mke2fs")]
    public void Tree_draws_every_entry_and_counts_directories_and_files()
    {
        string output = Cli.Ok("tree", $"{images.Large}:/deep");
        Assert.Equal("/deep\n└── a\n    └── b\n        └── c\n            └── d\n                └── e\n                    └── f\n                        └── g\n"
            + "                            └── bottom\n\n7 directories, 1 file\n", output);
        string whole = Cli.Ok("tree", images.Large);
        int files = Directory.EnumerateFileSystemEntries(images.Tree.Root, "*", SearchOption.AllDirectories).Count(p => !Directory.Exists(p) || new FileInfo(p).LinkTarget is not null);
        int directories = Directory.EnumerateDirectories(images.Tree.Root, "*", SearchOption.AllDirectories).Count(p => new FileInfo(p).LinkTarget is null) + 1;
        Assert.EndsWith($"\n{directories} directories, {files} files\n", whole);
        Assert.Contains("│   ├── fast -> ../sizes/f1\n", whole);
    }

    [OracleFact("mke2fs")]
    public void A_path_that_does_not_exist_is_one_line_naming_it_and_exit_status_2()
    {
        Assert.Equal($"hwstack: {images.Small}:/no/such: No such file or directory", Cli.Fails(2, "ls", $"{images.Small}:/no/such"));
        Assert.Contains($"{images.Small}:/sizes/f1/x: Not a directory", Cli.Fails(2, "cat", $"{images.Small}:/sizes/f1/x"));
        Assert.Contains($"{images.Small}:/deep: Is a directory", Cli.Fails(2, "cat", $"{images.Small}:/deep"));
        Assert.Contains("is a directory (use -r", Cli.Fails(2, "cp", $"{images.Small}:/deep", images.Tree.Scratch("nope")));
        Assert.False(Directory.Exists(images.Tree.Scratch("nope")));
    }

    [Fact]
    public void A_missing_image_is_one_line_and_exit_status_2()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.img");
        foreach (string[] args in new[] { new[] { "ls", $"{missing}:/" }, ["cat", $"{missing}:/a"], ["stat", $"{missing}:/"], ["df", missing], ["tree", missing] })
            Assert.Contains($"{missing}: No such file or directory", Cli.Fails(2, args));
    }

    [Fact]
    public void An_image_without_ext2_is_one_line_naming_it_and_exit_status_2()
    {
        string zeros = images.Tree.Scratch($"zeros-{Guid.NewGuid():N}.img");
        File.WriteAllBytes(zeros, new byte[2 << 20]);
        Assert.Contains($"{zeros}: not a usable ext2 filesystem", Cli.Fails(2, "ls", $"{zeros}:/"));
        File.WriteAllBytes(zeros, new byte[1000]);
        Assert.Contains("too small", Cli.Fails(2, "df", zeros));
    }

    [OracleFact("mke2fs")]
    public void A_truncated_image_is_one_line_naming_it_and_exit_status_2()
    {
        string truncated = images.Tree.Scratch("truncated.img");
        File.Copy(images.Small, truncated, overwrite: true);
        using (FileStream file = File.OpenWrite(truncated))
            file.SetLength(3 << 20);
        string line = Cli.Fails(2, "ls", $"{truncated}:/");
        Assert.Contains(truncated, line);
        Assert.Contains("truncated", line);
    }

    [Fact]
    public void An_operand_without_an_image_name_is_a_usage_error()
    {
        Assert.Contains("image file name is missing", Cli.Fails(2, "cat", ":/etc/passwd"));
        Assert.Contains("expected IMAGE:PATH", Cli.Fails(2, "cat", "just-a-name"));
    }

    private static string Field(string output, string name) => Regex.Match(output, $@"\b{name}: (\S+)").Groups[1].Value;

    internal readonly record struct Inode(long Number, string Type, int Mode, int Links, int Uid, int Gid, long Size, long Blocks, long ModifySeconds);

    internal static Inode DebugfsStat(string image, string path)
    {
        string text = HostTool.Debugfs(image, $"stat \"{path}\"");
        long Number(string pattern) => long.Parse(Regex.Match(text, pattern).Groups[1].Value);
        return new Inode(Number(@"Inode: (\d+)"), Regex.Match(text, @"Type: (\w+)").Groups[1].Value, Convert.ToInt32(Regex.Match(text, @"Mode:\s+(\d+)").Groups[1].Value, 8),
            (int)Number(@"Links: (\d+)"), (int)Number(@"User:\s+(\d+)"), (int)Number(@"Group:\s+(\d+)"), Number(@"Size: (\d+)"),
            Number(@"Blockcount: (\d+)"), Convert.ToInt64(Regex.Match(text, @"mtime: 0x([0-9a-f]+)").Groups[1].Value, 16));
    }

    /// <summary>ls's mode string, built independently of the code under test.</summary>
    internal static string ModeString(string type, int mode)
    {
        var text = new StringBuilder(type switch { "directory" => "d", "symlink" => "l", _ => "-" });
        for (int shift = 6; shift >= 0; shift -= 3)
        {
            int bits = mode >> shift & 7;
            text.Append((bits & 4) != 0 ? 'r' : '-').Append((bits & 2) != 0 ? 'w' : '-');
            bool special = shift switch { 6 => (mode & 0x800) != 0, 3 => (mode & 0x400) != 0, _ => (mode & 0x200) != 0 };
            char letter = shift == 0 ? 't' : 's';
            text.Append(special ? ((bits & 1) != 0 ? letter : char.ToUpperInvariant(letter)) : (bits & 1) != 0 ? 'x' : '-');
        }
        return text.ToString();
    }
}
