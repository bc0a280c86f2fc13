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
    public static (int Runs, long FirstBlock) CountRuns(string statOutput)
    {
        int blocks = statOutput.IndexOf("BLOCKS:", StringComparison.Ordinal);
        if (blocks < 0)
            return (0, 0);
        int total = statOutput.IndexOf("TOTAL:", blocks, StringComparison.Ordinal);
        string list = statOutput[blocks..(total < 0 ? statOutput.Length : total)];
        var data = new List<long>();
        var indirect = new HashSet<long>();
        foreach (Match entry in Entry().Matches(list))
        {
            long first = long.Parse(entry.Groups["first"].Value);
            long last = entry.Groups["last"].Success ? long.Parse(entry.Groups["last"].Value) : first;
            bool isIndirect = entry.Groups["label"].Value is "IND" or "DIND" or "TIND";
            for (long block = first; block <= last; block++)
            {
                if (isIndirect)
                    indirect.Add(block);
                else
                    data.Add(block);
            }
        }
        int runs = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (i == 0 || !Continues(data[i - 1], data[i], indirect))
                runs++;
        }
        return (runs, data.Count == 0 ? 0 : data[0]);
    }

    private static bool Continues(long previous, long next, HashSet<long> indirect)
    {
        if (next <= previous)
            return false;
        for (long between = previous + 1; between < next; between++)
        {
            if (!indirect.Contains(between))
                return false;
        }
        return true;
    }

    private static long Field(string header, string name)
    {
        Match match = Regex.Match(header, $@"^{name}:\s+(\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"dumpe2fs -h shows no '{name}'");
        return long.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"^Inode: (\d+)", RegexOptions.Multiline)]
    private static partial Regex InodeNumber();

    /// <summary>"(0-11):1234-1245", "(IND):1246", "(9765):892".</summary>
    [GeneratedRegex(@"\((?<label>[^)]*)\):(?<first>\d+)(?:-(?<last>\d+))?")]
    private static partial Regex Entry();
}
