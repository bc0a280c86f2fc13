namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// The verdict of <see cref="Ext2Checker"/>: clean exactly when no problem was found. The counts are the superblock's
/// (s_inodes_count - s_free_inodes_count and so on), as e2fsck -n prints them on its last line.
/// </summary>
public sealed record Ext2CheckReport(bool IsClean, IReadOnlyList<string> Problems, long UsedInodes, long TotalInodes, long UsedBlocks, long TotalBlocks)
{
    /// <summary>The device the report is about (the name in <see cref="Summary"/>).</summary>
    public string DeviceName { get; init; } = "";

    /// <summary>
    /// Findings that e2fsck -n reports but does not count as errors (its answer "no" is acceptable there): the
    /// superblock's free block and inode counts, which the kernel only updates lazily.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Files whose blocks are not one contiguous run (e2fsck's "non-contiguous" files), directories included.</summary>
    public long FragmentedFiles { get; init; }

    /// <summary>e2fsck's last line: "NAME: 11/2048 files (0.0% non-contiguous), 1234/8192 blocks".</summary>
    public string Summary => SummaryFor(DeviceName);

    /// <summary>The summary line with <paramref name="name"/> (an image path, say) in front.</summary>
    public string SummaryFor(string name)
    {
        // e2fsck rounds the per-mille fraction of fragmented files among the used inodes.
        long permille = UsedInodes > 0 ? (10000 * FragmentedFiles / UsedInodes + 5) / 10 : 0;
        return $"{name}: {UsedInodes}/{TotalInodes} files ({permille / 10}.{permille % 10}% non-contiguous), {UsedBlocks}/{TotalBlocks} blocks";
    }
}
