namespace Hardware.Vfs.Ext2;

/// <summary>Sanity checks of the superblock and group descriptors before anything is trusted (ext2_fill_super's checks).</summary>
internal static class Ext2Validation
{
    /// <summary>What is wrong with <paramref name="sb"/> on a device of <paramref name="deviceBytes"/>, or null.</summary>
    public static string? CheckSuperBlock(Ext2SuperBlock sb, long deviceBytes)
    {
        if (sb.Magic != Ext2SuperBlock.MagicValue)
            return $"no ext2 superblock (magic 0x{sb.Magic:x4}, expected 0x{Ext2SuperBlock.MagicValue:x4})";
        if (sb.LogBlockSize > 2)
            return $"block size 1024 << {sb.LogBlockSize} is not 1, 2 or 4 KiB";
        if (sb.Revision > Ext2SuperBlock.DynamicRevision)
            return $"revision {sb.Revision} is not 0 or 1";
        int blockSize = sb.BlockSize;
        if (sb.FirstDataBlock != (blockSize == 1024 ? 1u : 0u))
            return $"first data block {sb.FirstDataBlock} does not suit {blockSize}-byte blocks";
        int inodeSize = sb.InodeSize;
        if (inodeSize < Ext2Inode.Size || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) != 0)
            return $"inode size {inodeSize} is not a power of two between 128 and the block size";
        if (sb.Revision == Ext2SuperBlock.DynamicRevision && sb.FirstInodeField < 11)
            return $"first inode {sb.FirstInodeField} is below 11";
        if (sb.BlocksPerGroup == 0 || sb.BlocksPerGroup > 8u * (uint)blockSize)
            return $"{sb.BlocksPerGroup} blocks per group (1..{8 * blockSize})";
        if (sb.InodesPerGroup == 0 || sb.InodesPerGroup > 8u * (uint)blockSize)
            return $"{sb.InodesPerGroup} inodes per group (1..{8 * blockSize})";
        if (sb.BlocksCount <= sb.FirstDataBlock)
            return $"block count {sb.BlocksCount}";
        if ((long)sb.BlocksCount * blockSize > deviceBytes)
            return $"{sb.BlocksCount} blocks of {blockSize} bytes do not fit the {deviceBytes}-byte device (truncated image?)";
        if (sb.InodesCount == 0 || sb.InodesCount > sb.GroupCount * sb.InodesPerGroup)
            return $"inode count {sb.InodesCount} exceeds {sb.GroupCount} groups of {sb.InodesPerGroup}";
        if (sb.InodesCount < Ext2Volume.RootInode)
            return $"inode count {sb.InodesCount} has no root inode";
        return null;
    }

    public static string? CheckGroup(Ext2SuperBlock sb, Ext2GroupDescriptor group, int index)
    {
        long tableBlocks = ((long)sb.InodesPerGroup * sb.InodeSize + sb.BlockSize - 1) / sb.BlockSize;
        if (group.BlockBitmap < sb.FirstDataBlock || group.BlockBitmap >= sb.BlocksCount)
            return $"block bitmap {group.BlockBitmap} is outside the volume";
        if (group.InodeBitmap < sb.FirstDataBlock || group.InodeBitmap >= sb.BlocksCount)
            return $"inode bitmap {group.InodeBitmap} is outside the volume";
        if (group.InodeTable < sb.FirstDataBlock || group.InodeTable + tableBlocks > sb.BlocksCount)
            return $"inode table {group.InodeTable}+{tableBlocks} is outside the volume";
        return null;
    }
}
