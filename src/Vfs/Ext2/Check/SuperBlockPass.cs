using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// Pass 0 (e2fsck's check_super_block and ext2fs_check_desc): the superblock's geometry, each group descriptor's
/// bitmaps and inode table inside its own group and clear of each other, its counts within the group's size, and the
/// resize inode's map of the reserved descriptor blocks. Marks every metadata block as claimed.
/// </summary>
internal static class SuperBlockPass
{
    /// <summary>What makes the superblock unusable beyond <see cref="Ext2Validation.CheckSuperBlock"/>, or null.</summary>
    public static string? CheckGeometry(Ext2SuperBlock sb, ReadOnlySpan<byte> raw)
    {
        uint logFragment = BinaryPrimitives.ReadUInt32LittleEndian(raw[Ext2SuperBlock.LogFragmentSizeOffset..]);
        uint fragmentsPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(raw[Ext2SuperBlock.FragmentsPerGroupOffset..]);
        if (logFragment != sb.LogBlockSize)
            return $"s_log_frag_size {logFragment} differs from s_log_block_size {sb.LogBlockSize} (no bigalloc)";
        if (fragmentsPerGroup != sb.BlocksPerGroup)
            return $"s_frags_per_group {fragmentsPerGroup} differs from s_blocks_per_group {sb.BlocksPerGroup}";
        long expectedInodes = sb.GroupCount * sb.InodesPerGroup;
        if (sb.InodesCount != expectedInodes)
            return $"s_inodes_count {sb.InodesCount} is not {sb.GroupCount} groups of {sb.InodesPerGroup} inodes ({expectedInodes})";
        if (sb.InodesPerGroup % (uint)(sb.BlockSize / sb.InodeSize) != 0)
            return $"s_inodes_per_group {sb.InodesPerGroup} does not fill whole inode table blocks";
        if (sb.ReservedBlocksCount > sb.BlocksCount / 2)
            return $"s_r_blocks_count {sb.ReservedBlocksCount} exceeds half of the {sb.BlocksCount} blocks";
        long inodeTableBlocks = ((long)sb.InodesPerGroup * sb.InodeSize + sb.BlockSize - 1) / sb.BlockSize;
        if (inodeTableBlocks + 3 > sb.BlocksPerGroup)
            return $"an inode table of {inodeTableBlocks} blocks does not fit a group of {sb.BlocksPerGroup} blocks";
        return null;
    }

    /// <summary>Reads the group descriptors; null when the table cannot be read (the problem is recorded).</summary>
    public static async ValueTask<Ext2GroupDescriptor[]?> ReadGroupsAsync(BufferCache buffers, Ext2SuperBlock sb, List<string> problems)
    {
        int perBlock = sb.BlockSize / Ext2GroupDescriptor.Size;
        var groups = new Ext2GroupDescriptor[sb.GroupCount];
        for (int first = 0; first < groups.Length; first += perBlock)
        {
            long block = sb.FirstDataBlock + 1 + first / perBlock;
            using BufferLease lease = await buffers.GetBlockAsync(block);
            if (!lease.Ok)
            {
                problems.Add($"group descriptor table: reading block {block} failed ({lease.Status})");
                return null;
            }
            for (int i = first; i < groups.Length && i < first + perBlock; i++)
                groups[i] = Ext2GroupDescriptor.Read(lease.Data[((i - first) * Ext2GroupDescriptor.Size)..]);
        }
        return groups;
    }

    /// <summary>
    /// Checks every descriptor and marks the metadata blocks; returns for each group whether its bitmaps and inode
    /// table can be trusted enough to read.
    /// </summary>
    public static bool[] CheckGroups(CheckState state)
    {
        var usable = new bool[state.Groups.Length];
        for (int g = 0; g < state.Groups.Length; g++)
        {
            if (!state.HasSuperBlockCopy(g))
                continue;
            long start = state.GroupStart(g);
            long copies = 1 + state.DescriptorBlocks + state.ReservedDescriptorBlocks;
            for (long b = start; b < start + copies && b < start + state.BlocksInGroup(g); b++)
                Claim(state, b);
        }
        for (int g = 0; g < state.Groups.Length; g++)
        {
            Ext2GroupDescriptor group = state.Groups[g];
            long first = state.GroupStart(g);
            long last = first + state.BlocksInGroup(g) - 1;
            string where = $"group {g} descriptor (block {state.FirstDataBlock + 1 + g / (state.BlockSize / Ext2GroupDescriptor.Size)})";
            bool ok = true;
            if (group.BlockBitmap < first || group.BlockBitmap > last)
            {
                state.Problem($"{where}: block bitmap {group.BlockBitmap} lies outside the group (blocks {first}..{last})");
                ok = false;
            }
            else if (!Claim(state, group.BlockBitmap))
            {
                state.Problem($"{where}: block bitmap {group.BlockBitmap} overlaps other metadata");
            }
            if (group.InodeBitmap < first || group.InodeBitmap > last)
            {
                state.Problem($"{where}: inode bitmap {group.InodeBitmap} lies outside the group (blocks {first}..{last})");
                ok = false;
            }
            else if (!Claim(state, group.InodeBitmap))
            {
                state.Problem($"{where}: inode bitmap {group.InodeBitmap} overlaps other metadata");
            }
            long tableEnd = (long)group.InodeTable + state.InodeTableBlocks - 1;
            if (group.InodeTable < first || tableEnd > last)
            {
                state.Problem($"{where}: inode table {group.InodeTable}..{tableEnd} lies outside the group (blocks {first}..{last})");
                ok = false;
            }
            else
            {
                for (long b = group.InodeTable; b <= tableEnd; b++)
                {
                    if (!Claim(state, b))
                    {
                        state.Problem($"{where}: inode table block {b} overlaps other metadata");
                        break;
                    }
                }
            }
            if (group.FreeBlocksCount > state.BlocksPerGroup || group.FreeInodesCount > state.InodesPerGroup || group.UsedDirsCount > state.InodesPerGroup)
                state.Problem($"{where}: counts out of range (bg_free_blocks_count {group.FreeBlocksCount}, bg_free_inodes_count {group.FreeInodesCount}, bg_used_dirs_count {group.UsedDirsCount})");
            usable[g] = ok;
        }
        return usable;
    }

    private static bool Claim(CheckState state, long block)
    {
        state.MetadataBlocks.Add(block);
        return state.ClaimedBlocks.Add(block);
    }

    /// <summary>
    /// e2fsck's check_resize_inode: with resize_inode, inode 7 has only a double indirect block, whose entries name the
    /// reserved descriptor blocks after the table, each of which lists its copies in the groups with a superblock.
    /// Without the feature there are no reserved blocks and inode 7 is clear.
    /// </summary>
    public static async ValueTask CheckResizeInodeAsync(CheckState state, Ext2Inode? inode)
    {
        const uint ResizeInode = 7;
        if (inode is null)
            return;
        if ((state.Super.FeatureCompat & Ext2CompatFeatures.ResizeInode) == 0)
        {
            if (state.Super.ReservedGdtBlocks != 0)
                state.Problem($"superblock: s_reserved_gdt_blocks is {state.Super.ReservedGdtBlocks} without the resize_inode feature");
            if (inode.Block.Any(b => b != 0))
                state.Problem($"inode {ResizeInode} (resize inode): has block pointers without the resize_inode feature");
            return;
        }
        uint dind = inode.Block[Ext2Inode.DoubleIndirectSlot];
        bool onlyDind = Enumerable.Range(0, Ext2Inode.BlockPointers).All(i => i == Ext2Inode.DoubleIndirectSlot || inode.Block[i] == 0);
        if (!onlyDind || dind == 0 || inode.LinksCount == 0 || (inode.Mode & (int)InodeType.Regular) == 0 || !state.IsLegalBlock(dind))
        {
            state.Problem($"inode {ResizeInode} (resize inode): not valid (i_block[13] {dind}, i_links_count {inode.LinksCount}, mode {Convert.ToString(inode.Mode, 8)})");
            return;
        }
        uint[] dindEntries = await ReadPointersAsync(state, dind, $"inode {ResizeInode} (resize inode) double indirect block");
        if (dindEntries.Length == 0)
            return;
        long reservedBlock = state.FirstDataBlock + 1 + state.DescriptorBlocks;
        for (long i = 0; i < state.Super.ReservedGdtBlocks; i++, reservedBlock++)
        {
            long slot = (state.DescriptorBlocks + i) % state.PointersPerBlock;
            if (dindEntries[slot] != reservedBlock)
            {
                state.Problem($"inode {ResizeInode} (resize inode): double indirect block {dind} entry {slot} is {dindEntries[slot]}, expected reserved descriptor block {reservedBlock}");
                return;
            }
            uint[] copies = await ReadPointersAsync(state, reservedBlock, $"reserved descriptor block {reservedBlock}");
            if (copies.Length == 0)
                return;
            int index = 0;
            for (long g = 1; g < state.Groups.Length && index < copies.Length; g++)
            {
                if (!state.HasSuperBlockCopy(g))
                    continue;
                long expected = reservedBlock + g * state.BlocksPerGroup;
                if (copies[index] != expected)
                {
                    state.Problem($"inode {ResizeInode} (resize inode): reserved descriptor block {reservedBlock} entry {index} is {copies[index]}, expected {expected}");
                    return;
                }
                index++;
            }
        }
    }

    private static async ValueTask<uint[]> ReadPointersAsync(CheckState state, long block, string what)
    {
        using BufferLease lease = await state.ReadAsync(block, what);
        if (!lease.Ok)
            return [];
        var pointers = new uint[state.PointersPerBlock];
        for (int i = 0; i < pointers.Length; i++)
            pointers[i] = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(i * 4)..]);
        return pointers;
    }
}
