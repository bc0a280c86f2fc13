using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// Inode allocation over the group inode bitmaps (ialloc.c): Orlov spreading for directories, the parent's group
// for other files; bg_free_inodes_count, bg_used_dirs_count and s_free_inodes_count change with every bit.
public sealed partial class Ext2Volume
{
    /// <summary>
    /// ext2_new_inode: a free inode for a new <paramref name="type"/> in <paramref name="parentNumber"/>. Directories
    /// spread out (Orlov): a top-level one goes to the group with the fewest directories among those with at least
    /// average free inodes and blocks, a deeper one to the first group from its parent's that is not crowded; other
    /// files stay in or near their parent's group. The inode's record is zeroed on disk. ENOSPC when none is free.
    /// </summary>
    internal async ValueTask<(uint Number, Errno Error)> AllocateInodeAsync(uint parentNumber, InodeType type)
    {
        if (!_readWrite)
            return (0, Errno.EROFS);
        if (Record.FreeInodesCount == 0)
            return (0, Errno.ENOSPC);
        int groups = _groups.Length;
        int parentGroup = parentNumber >= 1 && parentNumber <= Record.InodesCount ? (int)((parentNumber - 1) / Record.InodesPerGroup) : 0;
        parentGroup = Math.Min(parentGroup, groups - 1);
        int start = type == InodeType.Directory ? FindGroupForDirectory(parentGroup, parentNumber == RootInode) : FindGroupForFile(parentGroup);
        if (start < 0)
            return (0, Errno.ENOSPC);
        for (int pass = 0; pass < groups; pass++)
        {
            int group = (start + pass) % groups;
            if (_groups[group].FreeInodesCount == 0)
                continue;
            (uint number, Errno error) = await TakeInodeInGroupAsync(group, type);
            if (number != 0 || error != Errno.None)
                return (number, error);
        }
        return (0, Errno.ENOSPC);
    }

    private async ValueTask<(uint Number, Errno Error)> TakeInodeInGroupAsync(int group, InodeType type)
    {
        uint bitmapBlock = _groups[group].InodeBitmap;
        int from = group == 0 ? (int)Record.FirstInode - 1 : 0;
        int limit = (int)Math.Min(Record.InodesPerGroup, Record.InodesCount - (long)group * Record.InodesPerGroup);
        uint number;
        using (BufferLease lease = await Buffers.GetBlockAsync(bitmapBlock))
        {
            if (!lease.Ok)
                return (0, lease.Status);
            int bit = FindZero(lease.Data, from, limit);
            if (bit < 0)
                return (0, Errno.None);
            lease.Data[bit >> 3] |= (byte)(1 << (bit & 7));
            lease.MarkDirty();
            number = (uint)(group * Record.InodesPerGroup + bit + 1);
        }
        Ext2GroupDescriptor descriptor = _groups[group];
        _groups[group] = descriptor with
        {
            FreeInodesCount = (ushort)(descriptor.FreeInodesCount - 1),
            UsedDirsCount = (ushort)(descriptor.UsedDirsCount + (type == InodeType.Directory ? 1 : 0)),
        };
        Record.FreeInodesCount--;
        // A new inode starts from zeros (ext2 writes the whole record of an EXT2_STATE_NEW inode).
        (long block, int offset, Errno located) = LocateInode(number);
        if (located != Errno.None)
            return (0, located);
        using (BufferLease table = await Buffers.GetBlockAsync(block))
        {
            if (!table.Ok)
                return (0, table.Status);
            table.Data.Slice(offset, Record.InodeSize).Clear();
            table.MarkDirty();
        }
        return (number, Errno.None);
    }

    private int FindGroupForDirectory(int parentGroup, bool topLevel)
    {
        int groups = _groups.Length;
        long freeInodes = CountFree(static g => g.FreeInodesCount);
        long freeBlocks = CountFree(static g => g.FreeBlocksCount);
        long directories = CountFree(static g => g.UsedDirsCount);
        long averageFreeInodes = freeInodes / groups;
        long averageFreeBlocks = freeBlocks / groups;
        if (topLevel)
        {
            int best = -1;
            for (int i = 0; i < groups; i++)
            {
                int group = (parentGroup + i) % groups;
                Ext2GroupDescriptor d = _groups[group];
                if (d.FreeInodesCount == 0 || d.FreeInodesCount < averageFreeInodes || d.FreeBlocksCount < averageFreeBlocks)
                    continue;
                if ((long)d.UsedDirsCount * groups > directories)
                    continue;
                if (best < 0 || d.UsedDirsCount < _groups[best].UsedDirsCount ||
                    (d.UsedDirsCount == _groups[best].UsedDirsCount && d.FreeBlocksCount > _groups[best].FreeBlocksCount))
                    best = group;
            }
            if (best >= 0)
                return best;
        }
        else
        {
            long maxDirectories = directories / groups + Record.InodesPerGroup / 16;
            long minInodes = averageFreeInodes - Record.InodesPerGroup / 4;
            long minBlocks = averageFreeBlocks - Record.BlocksPerGroup / 4;
            for (int i = 0; i < groups; i++)
            {
                int group = (parentGroup + i) % groups;
                Ext2GroupDescriptor d = _groups[group];
                if (d.FreeInodesCount > 0 && d.UsedDirsCount < maxDirectories && d.FreeInodesCount >= minInodes && d.FreeBlocksCount >= minBlocks)
                    return group;
            }
        }
        for (int i = 0; i < groups; i++)
        {
            int group = (parentGroup + i) % groups;
            if (_groups[group].FreeInodesCount > 0 && _groups[group].FreeInodesCount >= averageFreeInodes)
                return group;
        }
        return FirstGroupWithFreeInodes(parentGroup);
    }

    /// <summary>find_group_other: the parent's group, then a quadratic hash from it, then a linear search.</summary>
    private int FindGroupForFile(int parentGroup)
    {
        int groups = _groups.Length;
        if (_groups[parentGroup].FreeInodesCount > 0 && _groups[parentGroup].FreeBlocksCount > 0)
            return parentGroup;
        int group = parentGroup;
        for (int step = 1; step < groups; step <<= 1)
        {
            group = (group + step) % groups;
            if (_groups[group].FreeInodesCount > 0 && _groups[group].FreeBlocksCount > 0)
                return group;
        }
        return FirstGroupWithFreeInodes(parentGroup);
    }

    private int FirstGroupWithFreeInodes(int from)
    {
        for (int i = 0; i < _groups.Length; i++)
        {
            int group = (from + i) % _groups.Length;
            if (_groups[group].FreeInodesCount > 0)
                return group;
        }
        return -1;
    }

    /// <summary>ext2_free_inode: clears the inode's bit and counts it free (a directory also leaves bg_used_dirs_count).</summary>
    internal async ValueTask<Errno> FreeInodeAsync(uint number, InodeType type)
    {
        if (!_readWrite)
            return Errno.EROFS;
        if (number < Record.FirstInode || number > Record.InodesCount)
            return Corrupt($"freeing reserved or nonexistent inode {number}");
        int group = (int)((number - 1) / Record.InodesPerGroup);
        int bit = (int)((number - 1) % Record.InodesPerGroup);
        uint bitmapBlock = _groups[group].InodeBitmap;
        using (BufferLease lease = await Buffers.GetBlockAsync(bitmapBlock))
        {
            if (!lease.Ok)
                return lease.Status;
            if ((lease.Data[bit >> 3] & (1 << (bit & 7))) == 0)
                return Corrupt($"freeing inode {number}, already free in inode bitmap {bitmapBlock} of group {group}");
            lease.Data[bit >> 3] &= (byte)~(1 << (bit & 7));
            lease.MarkDirty();
        }
        Ext2GroupDescriptor descriptor = _groups[group];
        _groups[group] = descriptor with
        {
            FreeInodesCount = (ushort)(descriptor.FreeInodesCount + 1),
            UsedDirsCount = (ushort)Math.Max(0, descriptor.UsedDirsCount - (type == InodeType.Directory ? 1 : 0)),
        };
        Record.FreeInodesCount++;
        return Errno.None;
    }
}
