using System.Globalization;
using System.Text;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// Where mkfs puts everything: the geometry it chose (block size, groups, inodes per group, reserved GDT blocks) and
/// the blocks of each group's metadata, with the free counts a fresh filesystem starts with. Block numbers are
/// absolute filesystem blocks.
/// </summary>
public sealed record Ext2Layout
{
    /// <summary>The mke2fs.conf size type the defaults came from: floppy, small, default, big or huge.</summary>
    public required string SizeType { get; init; }

    public required int Revision { get; init; }

    public required int BlockSize { get; init; }

    /// <summary>s_blocks_count: the device's blocks, less a last group too small to hold its own metadata.</summary>
    public required long BlocksCount { get; init; }

    /// <summary>s_first_data_block: 1 with 1 KiB blocks (block 0 is the boot block), else 0.</summary>
    public required int FirstDataBlock { get; init; }

    public required int BlocksPerGroup { get; init; }

    public required int GroupCount { get; init; }

    public required int InodeSize { get; init; }

    public required int InodesPerGroup { get; init; }

    public long InodesCount => (long)InodesPerGroup * GroupCount;

    /// <summary>The bytes-per-inode ratio the inode count came from (-i), even when -N overrode it.</summary>
    public required int InodeRatio { get; init; }

    public int InodeTableBlocks => (int)(((long)InodesPerGroup * InodeSize + BlockSize - 1) / BlockSize);

    /// <summary>Blocks of the group descriptor table (32-byte descriptors).</summary>
    public int DescriptorBlocks => (GroupCount * Ext2GroupDescriptor.Size + BlockSize - 1) / BlockSize;

    /// <summary>s_reserved_gdt_blocks: room for the descriptor table to grow (resize_inode), after every copy of it.</summary>
    public required int ReservedGdtBlocks { get; init; }

    /// <summary>s_r_blocks_count.</summary>
    public required long ReservedBlocksCount { get; init; }

    public required Ext2CompatFeatures FeatureCompat { get; init; }

    public required Ext2IncompatFeatures FeatureIncompat { get; init; }

    public required Ext2RoCompatFeatures FeatureRoCompat { get; init; }

    public required string Label { get; init; }

    /// <summary>s_uuid: version-4-shaped, drawn from <see cref="Ext2MkfsOptions.Seed"/>.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>s_hash_seed for dir_index hashes, drawn after the UUID from the same seed.</summary>
    public required Guid HashSeed { get; init; }

    /// <summary>Block of the root directory (inode 2).</summary>
    public required long RootDirectoryBlock { get; init; }

    /// <summary>First block of lost+found (inode 11); its blocks are contiguous.</summary>
    public required long LostAndFoundBlock { get; init; }

    /// <summary>Blocks of lost+found: pre-sized like mke2fs (16 KiB, at least 2 blocks, at most 12).</summary>
    public required int LostAndFoundBlocks { get; init; }

    /// <summary>The resize inode's (7) double-indirect block, or 0 without resize_inode.</summary>
    public required long ResizeInodeBlock { get; init; }

    public required IReadOnlyList<Ext2GroupLayout> Groups { get; init; }

    /// <summary>s_overhead_clusters: the blocks metadata takes (with the boot block on 1 KiB filesystems).</summary>
    public long OverheadBlocks { get; init; }

    public long FreeBlocksCount { get; init; }

    public long FreeInodesCount { get; init; }

    /// <summary>Groups 1 and after that hold a backup superblock and descriptor table.</summary>
    public IEnumerable<Ext2GroupLayout> BackupGroups => Groups.Where(g => g.Index > 0 && g.HasSuperBlock);

    /// <summary>The most blocks the reserved descriptor blocks let the filesystem grow to.</summary>
    public long MaximumBlocks => (long)(ReservedGdtBlocks + DescriptorBlocks) * (BlockSize / Ext2GroupDescriptor.Size) * BlocksPerGroup;

    /// <summary>The summary `mke2fs -v` prints, in its words.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"Filesystem label={Label}\n");
        text.Append("OS type: Linux\n");
        int log = System.Numerics.BitOperations.Log2((uint)BlockSize) - 10;
        text.Append(c, $"Block size={BlockSize} (log={log})\n");
        text.Append(c, $"Fragment size={BlockSize} (log={log})\n");
        text.Append("Stride=0 blocks, Stripe width=0 blocks\n");
        text.Append(c, $"{InodesCount} inodes, {BlocksCount} blocks\n");
        text.Append(c, $"{ReservedBlocksCount} blocks ({100.0 * ReservedBlocksCount / BlocksCount:0.00}%) reserved for the super user\n");
        text.Append(c, $"First data block={FirstDataBlock}\n");
        if ((FeatureCompat & Ext2CompatFeatures.ResizeInode) != 0)
            text.Append(c, $"Maximum filesystem blocks={MaximumBlocks}\n");
        text.Append(c, $"{GroupCount} block group{(GroupCount == 1 ? "" : "s")}\n");
        text.Append(c, $"{BlocksPerGroup} blocks per group, {BlocksPerGroup} fragments per group\n");
        text.Append(c, $"{InodesPerGroup} inodes per group\n");
        text.Append(c, $"Filesystem UUID: {Uuid}\n");
        List<long> backups = BackupGroups.Select(g => g.FirstBlock).ToList();
        if (backups.Count > 0)
            text.Append("Superblock backups stored on blocks: \n\t").Append(string.Join(", ", backups)).Append('\n');
        return text.ToString();
    }
}

/// <summary>One block group: its range, where its bitmaps and inode table are, and what is free in it.</summary>
public sealed record Ext2GroupLayout
{
    public required int Index { get; init; }

    public required long FirstBlock { get; init; }

    public required long LastBlock { get; init; }

    /// <summary>
    /// The group holds a superblock (primary in group 0, else a backup) in its first block (at byte 1024 of block 0
    /// on 2 and 4 KiB filesystems), then a copy of the descriptor table and the reserved GDT blocks.
    /// </summary>
    public required bool HasSuperBlock { get; init; }

    /// <summary>First block of the descriptor table copy (0 when the group has none).</summary>
    public required long DescriptorBlock { get; init; }

    /// <summary>First reserved GDT block (0 when the group has none).</summary>
    public required long ReservedGdtBlock { get; init; }

    public required long BlockBitmap { get; init; }

    public required long InodeBitmap { get; init; }

    public required long InodeTable { get; init; }

    public required int FreeBlocks { get; init; }

    public required int FreeInodes { get; init; }

    public required int UsedDirectories { get; init; }

    public long BlockCount => LastBlock - FirstBlock + 1;
}
