using System.Text.RegularExpressions;

namespace Hardware.Vfs.Tests.Ext2.Runs;

/// <summary>
/// Reads the BLOCKS list of `debugfs -R "stat PATH"`, independently of hwstack's code: the data blocks in file order
/// and a new run wherever the next block is not the next physical one. The file's own indirect blocks, listed as
/// (IND), (DIND) and (TIND), are not data and never start a run, but a run continues across them (data, IND, data
/// on consecutive blocks is one run), and a logical hole does not break a physically contiguous run: what
/// Ext2Volume.CountDataRunsAsync counts. Shared by the Vfs and Cli test projects.
/// </summary>
internal static partial class DebugfsBlockList
{
    /// <summary>The runs and the first data block of one `stat` output (0, 0 when it lists no blocks).</summary>
    public static (int Runs, long FirstBlock) Read(string statOutput)
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

    /// <summary>"(0-11):1234-1245", "(IND):1246", "(9765):892".</summary>
    [GeneratedRegex(@"\((?<label>[^)]*)\):(?<first>\d+)(?:-(?<last>\d+))?")]
    private static partial Regex Entry();
}
