using System.Text.RegularExpressions;

namespace Hardware.Cli.Tests.Images;

/// <summary>
/// Counts a file's data runs from the BLOCKS list of `debugfs -R "stat PATH"`, independently of hwstack's code: the
/// data blocks in file order, a new run wherever the next block is not the next physical block. The file's own
/// indirect blocks, listed as (IND), (DIND) and (TIND) entries, are not data and do not count as runs, but a run
/// continues across them (data, IND, data on consecutive blocks is one run), as filefrag and
/// Ext2Volume.CountDataRunsAsync count. Logical holes do not break a run that is physically contiguous.
/// </summary>
internal static partial class DebugfsRuns
{
    public static int Count(string image, string path) => Count(HostTool.Debugfs(image, $"stat \"{path}\""));

    /// <summary>The runs of one `stat` output (0 when it lists no blocks: an empty file or a fast symlink).</summary>
    public static int Count(string statOutput)
    {
        int blocks = statOutput.IndexOf("BLOCKS:", StringComparison.Ordinal);
        if (blocks < 0)
            return 0;
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
        return runs;
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

    /// <summary>"(0-11):1234-1245", "(IND):1246", "(9765):892".</summary>
    [GeneratedRegex(@"\((?<label>[^)]*)\):(?<first>\d+)(?:-(?<last>\d+))?")]
    private static partial Regex Entry();
}
