using System.Text.RegularExpressions;
using Hardware.Vfs.Tests.Ext2.Interop;

namespace Hardware.Vfs.Tests.Ext2.Runs;

/// <summary>Where one file's blocks lie, as debugfs reads it: its data runs and how far its data starts from its inode's group.</summary>
internal readonly record struct FileLayout(string Path, uint Inode, int Runs, long FirstBlock, int InodeGroup, int FirstBlockGroup, int Groups)
{
    /// <summary>
    /// Groups from the inode's group forward (wrapping) to the group of the first data block: the allocator searches
    /// forward from the goal, so 0 means the data starts in the inode's own group. 0 for a file without blocks.
    /// </summary>
    public int GroupDistance => FirstBlock == 0 ? 0 : (FirstBlockGroup - InodeGroup + Groups) % Groups;
}

/// <summary>
/// The block layout of files in an ext2 image, read by one debugfs run (`stat` of each path): the same oracle for
/// an image hwstack wrote and one the Linux kernel wrote.
/// </summary>
internal static partial class DebugfsLayout
{
    public static IReadOnlyList<FileLayout> Read(string image, IReadOnlyList<string> paths)
    {
        string header = HostTools.Run("dumpe2fs", "-h", image).Output;
        long firstDataBlock = Field(header, "First block");
        long blocksPerGroup = Field(header, "Blocks per group");
        long inodesPerGroup = Field(header, "Inodes per group");
        int groups = (int)((Field(header, "Block count") - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup);

        string commands = image + ".stat-commands";
        System.IO.File.WriteAllLines(commands, paths.Select(path => $"stat \"{path}\""));
        (int exit, string output) = HostTools.Run("debugfs", "-f", commands, image);
        System.IO.File.Delete(commands);
        Assert.True(exit == 0, $"debugfs -f on {image} exited {exit}");
        string[] sections = output.Split("debugfs: stat ")[1..];
        Assert.Equal(paths.Count, sections.Length);

        var layouts = new List<FileLayout>();
        for (int i = 0; i < paths.Count; i++)
        {
            Match inode = InodeNumber().Match(sections[i]);
            Assert.True(inode.Success, $"debugfs stat {paths[i]}: {sections[i]}");
            uint number = uint.Parse(inode.Groups[1].Value);
            (int runs, long firstBlock) = CountRuns(sections[i]);
            int inodeGroup = (int)((number - 1) / inodesPerGroup);
            int blockGroup = firstBlock == 0 ? inodeGroup : (int)((firstBlock - firstDataBlock) / blocksPerGroup);
            layouts.Add(new FileLayout(paths[i], number, runs, firstBlock, inodeGroup, blockGroup, groups));
        }
        return layouts;
    }

    /// <summary>
    /// The data runs of one `stat` output's BLOCKS list, and the first data block (0 when none). Data blocks are
    /// taken in file order, and a run ends where the next one is not the next physical block. Indirect blocks,
    /// listed as (IND), (DIND) and (TIND), are not data and never start a run, but a run continues across them
    /// (data, IND, data on consecutive blocks is one run): what Ext2Volume.CountDataRunsAsync and filefrag count.
    /// </summary>
    public static (int Runs, long FirstBlock) CountRuns(string statOutput) => DebugfsBlockList.Read(statOutput);

    private static long Field(string header, string name)
    {
        Match match = Regex.Match(header, $@"^{name}:\s+(\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"dumpe2fs -h shows no '{name}'");
        return long.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"^Inode: (\d+)", RegexOptions.Multiline)]
    private static partial Regex InodeNumber();

}
