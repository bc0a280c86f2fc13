namespace Hardware.Cli.Tests.Images;

/// <summary>
/// --partition N: the image commands work on one partition of an image sfdisk partitioned, and leave the partition
/// table and the other partitions as they were.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PartitionTests : IDisposable
{
    private const long FirstStart = 2048;
    private const long FirstSectors = 32768;
    private const long SecondStart = 34816;
    private const long SecondSectors = 65536;

    private readonly TestTree _tree = new();

    [OracleFact("sfdisk", "mke2fs", "e2fsck", "debugfs")]
    public void Partition_two_of_an_sfdisk_image_is_read_and_changed_and_the_rest_stays_untouched()
    {
        string image = _tree.Scratch("parted.img");
        using (FileStream file = File.Create(image))
            file.SetLength(64L << 20);
        string script = _tree.Scratch("layout.sfdisk");
        File.WriteAllText(script, $"label: dos\nstart={FirstStart}, size={FirstSectors}, type=83\nstart={SecondStart}, size={SecondSectors}, type=83\n");
        (int parted, string partedOutput) = HostTool.Run("/bin/sh", "-c", $"sfdisk -q '{image}' < '{script}'");
        Assert.True(parted == 0, $"sfdisk failed: {partedOutput}");
        HostTool.MakeImage(image, Path.Combine(_tree.Root, "hard"), SecondSectors * 512, "-b", "1024", "-E", $"offset={SecondStart * 512}");
        byte[] before = File.ReadAllBytes(image);

        Assert.Equal("a\nb\nlost+found\nsub\n", Cli.Ok("ls", "--partition", "2", $"{image}:/"));
        Cli.Ok("mkdir", "--partition", "2", $"{image}:/new");
        Cli.Ok("cp", "--partition", "2", Path.Combine(_tree.Root, "hard", "a"), $"{image}:/new/copy");
        Assert.Equal("linked three times\n", Cli.Ok("cat", "--partition", "2", $"{image}:/new/copy"));

        byte[] after = File.ReadAllBytes(image);
        Assert.True(before.AsSpan(0, (int)(SecondStart * 512)).SequenceEqual(after.AsSpan(0, (int)(SecondStart * 512))),
            "the partition table or partition 1 changed");
        Assert.True(before.AsSpan((int)((SecondStart + SecondSectors) * 512)).SequenceEqual(after.AsSpan((int)((SecondStart + SecondSectors) * 512))),
            "bytes past partition 2 changed");
        string second = _tree.Scratch("second.img");
        File.WriteAllBytes(second, after.AsSpan((int)(SecondStart * 512), (int)(SecondSectors * 512)).ToArray());
        (int checkedExit, string checkedOutput) = HostTool.Run("e2fsck", "-fn", second);
        Assert.True(checkedExit == 0, $"e2fsck -fn of partition 2 exited {checkedExit}:\n{checkedOutput}");
        Assert.Contains("copy", HostTool.Debugfs(second, "ls /new"));

        string missing = Cli.Fails(2, "ls", "--partition", "3", $"{image}:/");
        Assert.Contains("3", missing);
        Assert.Contains(image, missing);
    }

    public void Dispose() => _tree.Dispose();
}
