using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// Pass 5 (e2fsck's pass5): each group's block and inode bitmaps against what passes 0 and 1 found in use, the
/// padding bits past the last block set, and bg_free_blocks_count, bg_free_inodes_count and bg_used_dirs_count
/// against the counts. The superblock's free counts only become notes: e2fsck -n accepts them stale (the kernel
/// updates them lazily), so they do not decide the verdict.
/// </summary>
internal static class SummaryPass
{
    /// <summary>Differences listed per bitmap before the rest are only counted.</summary>
    private const int ListedDifferences = 8;

    public static async ValueTask RunAsync(CheckState state, bool[] usableGroups)
    {
        long freeBlocks = 0;
        long freeInodes = 0;
        for (int g = 0; g < state.Groups.Length; g++)
        {
            Ext2GroupDescriptor group = state.Groups[g];
            long start = state.GroupStart(g);
            long blocks = state.BlocksInGroup(g);
            long usedBlocks = 0;
            for (long b = start; b < start + blocks; b++)
                usedBlocks += state.ClaimedBlocks[b] ? 1 : 0;
            long firstInode = (long)g * state.InodesPerGroup + 1;
            long usedInodes = 0;
            long directories = 0;
            for (long i = firstInode; i < firstInode + state.InodesPerGroup; i++)
            {
                CheckInode inode = state.Inodes[i];
                usedInodes += inode.Used ? 1 : 0;
                directories += inode.IsDirectory ? 1 : 0;
            }
            freeBlocks += blocks - usedBlocks;
            freeInodes += state.InodesPerGroup - usedInodes;
            string where = $"group {g}";
            if (usableGroups[g])
            {
                await CompareBitmapAsync(state, group.BlockBitmap, $"{where} block bitmap", blocks,
                    i => state.ClaimedBlocks[start + i], i => start + i);
                await CompareBitmapAsync(state, group.InodeBitmap, $"{where} inode bitmap", state.InodesPerGroup,
                    i => state.Inodes[firstInode + i].Used, i => firstInode + i);
            }
            if (group.FreeBlocksCount != blocks - usedBlocks)
                state.Problem($"{where}: bg_free_blocks_count is {group.FreeBlocksCount}, counted {blocks - usedBlocks}");
            if (group.FreeInodesCount != state.InodesPerGroup - usedInodes)
                state.Problem($"{where}: bg_free_inodes_count is {group.FreeInodesCount}, counted {state.InodesPerGroup - usedInodes}");
            if (group.UsedDirsCount != directories)
                state.Problem($"{where}: bg_used_dirs_count is {group.UsedDirsCount}, counted {directories}");
        }
        if (state.Super.FreeBlocksCount != freeBlocks)
            state.Note($"superblock: s_free_blocks_count is {state.Super.FreeBlocksCount}, counted {freeBlocks}");
        if (state.Super.FreeInodesCount != freeInodes)
            state.Note($"superblock: s_free_inodes_count is {state.Super.FreeInodesCount}, counted {freeInodes}");
    }

    /// <summary>
    /// Compares the first <paramref name="count"/> bits of a bitmap block with <paramref name="inUse"/>; the bits from
    /// there to the end of the block (past the last block, past s_inodes_per_group) are padding and must be set, as
    /// mke2fs leaves them.
    /// </summary>
    private static async ValueTask CompareBitmapAsync(CheckState state, uint block, string what, long count, Func<long, bool> inUse, Func<long, long> number)
    {
        using BufferLease lease = await state.ReadAsync(block, what);
        if (!lease.Ok)
            return;
        ReadOnlySpan<byte> bits = lease.Data;
        var differences = new List<string>();
        long total = 0;
        for (long i = 0; i < count; i++)
        {
            bool onDisk = (bits[(int)(i >> 3)] & 1 << (int)(i & 7)) != 0;
            bool used = inUse(i);
            if (onDisk == used)
                continue;
            total++;
            if (differences.Count < ListedDifferences)
                differences.Add($"{(used ? '+' : '-')}{number(i)}");
        }
        if (total > 0)
            state.Problem($"{what} (block {block}): {total} differences ({string.Join(' ', differences)}{(total > differences.Count ? " ..." : "")}; + in use but clear, - set but free)");
        for (long i = count; i < 8L * bits.Length; i++)
        {
            if ((bits[(int)(i >> 3)] & 1 << (int)(i & 7)) == 0)
            {
                state.Problem($"{what} (block {block}): padding bit {i} is not set");
                break;
            }
        }
    }
}
