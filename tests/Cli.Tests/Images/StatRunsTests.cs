using System.Text.RegularExpressions;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// The `Runs:` line of `hwstack stat`: the number of physically contiguous runs a file's data lies in must be what
/// debugfs's BLOCKS list of the same inode shows, on mke2fs-packed images and on a file hwstack wrote into free
/// space that deleted files left fragmented.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StatRunsTests(Mke2fsImages images) : IClassFixture<Mke2fsImages>
{
    [Fact]
    public void Debugfs_runs_continue_across_indirect_blocks_and_break_at_every_physical_gap()
    {
        Assert.Equal(1, DebugfsRuns.Count("BLOCKS:\n(0-11):594-605, (IND):606, (12-267):607-862, (DIND):863, (IND):864, (268-292):865-889\nTOTAL: 296\n"));
        Assert.Equal(4, DebugfsRuns.Count("BLOCKS:\n(0-2):563-565, (3-5):569-571, (6-8):575-577, (IND):587, (9):588\nTOTAL: 11\n"));
        Assert.Equal(2, DebugfsRuns.Count("BLOCKS:\n(0-11):100-111, (IND):112, (12):113, (13):120\nTOTAL: 15\n"));
        Assert.Equal(2, DebugfsRuns.Count("BLOCKS:\n(0):900, (1):899\nTOTAL: 2\n"));
        Assert.Equal(1, DebugfsRuns.Count("BLOCKS:\n(DIND):890, (IND):891, (9765):892\nTOTAL: 3\n"));
        Assert.Equal(0, DebugfsRuns.Count("Inode: 12   Type: regular    Mode:  0644\nSize: 0\n"));
    }

    [OracleFact("mke2fs", "debugfs")]
    public void Stat_reports_the_runs_debugfs_lists_for_files_and_directories_of_packed_images()
    {
        foreach (string image in new[] { images.Small, images.Large })
        {
            foreach (string path in new[] { "/sizes/f0", "/sizes/f1", "/sizes/f70001", "/sizes/f300001", "/sizes/f1048579", "/sparse", "/many", "/deep", "/" })
                Assert.True(DebugfsRuns.Count(image, path) == Runs(image, path), $"{image}:{path}: hwstack stat says {Runs(image, path)} runs");
        }
        Assert.Equal(1, Runs(images.Small, "/sizes/f1048579"));
        Assert.DoesNotContain("Runs:", Cli.Ok("stat", $"{images.Small}:/links/slow"));
    }

    [OracleFact("mke2fs", "debugfs")]
    public void Stat_reports_the_runs_debugfs_lists_for_a_file_written_into_fragmented_free_space()
    {
        string source = images.Tree.Scratch("fill-source");
        Directory.CreateDirectory(Path.Combine(source, "fill"));
        for (int i = 0; i < 200; i++)
            File.WriteAllBytes(Path.Combine(source, "fill", $"{i:D3}"), TestTree.Pattern(3000, i));
        string image = images.Tree.Scratch("fragmented.img");
        HostTool.MakeImage(image, source, 8L << 20, "-b", "1024");
        // Every other 3 KiB file deleted: the free space is 3-block holes between 3-block files.
        string commands = images.Tree.Scratch("rm-every-other");
        File.WriteAllLines(commands, Enumerable.Range(0, 100).Select(i => $"rm /fill/{2 * i:D3}"));
        (int exit, string output) = HostTool.Run("debugfs", "-w", "-f", commands, image);
        Assert.True(exit == 0, $"debugfs -w -f failed: {output}");
        string big = Path.Combine(source, "big");
        File.WriteAllBytes(big, TestTree.Pattern(400_000, 77));
        Cli.Ok("cp", big, $"{image}:/big");

        int runs = Runs(image, "/big");
        Assert.Equal(DebugfsRuns.Count(image, "/big"), runs);
        Assert.True(runs > 50, $"/big lies in only {runs} runs: the holes were not used");
        Assert.Equal(DebugfsRuns.Count(image, "/fill/001"), Runs(image, "/fill/001"));
    }

    private static int Runs(string image, string path)
    {
        Match line = Regex.Match(Cli.Ok("stat", $"{image}:{path}"), @"^  Runs: (\d+)$", RegexOptions.Multiline);
        Assert.True(line.Success, $"hwstack stat {image}:{path} prints no Runs: line");
        return int.Parse(line.Groups[1].Value);
    }
}
