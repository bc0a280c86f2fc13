using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2.Check;

namespace Hardware.Vfs.Tests.Ext2.Check;

/// <summary>Images packed by mke2fs -d are clean for both e2fsck -fn and our checker, and the summaries agree.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2CheckerCleanImageTests(Ext2CheckerCleanImageTests.Tree tree) : IClassFixture<Ext2CheckerCleanImageTests.Tree>
{
    /// <summary>The source tree, built once for the four layouts.</summary>
    public sealed class Tree : IDisposable
    {
        internal SourceTree Source { get; } = new();

        public void Dispose() => Source.Dispose();
    }

    [OracleTheory("mke2fs", "e2fsck")]
    [InlineData(1024, 128)]
    [InlineData(1024, 256)]
    [InlineData(4096, 128)]
    [InlineData(4096, 256)]
    public void A_tree_packed_by_mke2fs_is_clean_for_us_and_for_e2fsck_with_the_same_summary(int blockSize, int inodeSize)
    {
        byte[] image = Ext2ImageRig.MakeImage(tree.Source.Work, tree.Source.Root, 24L << 20, "-b", $"{blockSize}", "-I", $"{inodeSize}");

        Ext2CheckReport ours = CheckRig.Check(image);
        (int exitCode, string output) = CheckRig.E2fsck(image, tree.Source.Work);

        Assert.True(exitCode == 0, CheckRig.Describe(ours, (exitCode, output)));
        Assert.True(ours.IsClean, CheckRig.Describe(ours, (exitCode, output)));
        Assert.Empty(ours.Problems);
        Assert.Empty(ours.Notes);
        string lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(line => line.StartsWith("IMAGE: ", StringComparison.Ordinal));
        Assert.Equal(lastLine, ours.SummaryFor("IMAGE"));
        Assert.True(ours.UsedInodes > 1000 && ours.UsedBlocks > 0 && ours.UsedBlocks < ours.TotalBlocks);
    }
}
