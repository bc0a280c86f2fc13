using System.Buffers.Binary;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>A run of blocks mkfs owns and writes whole: what it does not fill must read as zeros.</summary>
internal readonly record struct Ext2MkfsRegion(long FirstBlock, long BlockCount);

/// <summary>
/// The bytes of a fresh filesystem, block by block, without holding them: each group's superblock copy, descriptor
/// table and reserved GDT blocks, bitmaps and inode table, then group 0's root directory, lost+found and the resize
/// inode's double-indirect block. Everything else mkfs leaves alone.
/// </summary>
internal sealed class Ext2MkfsImage
{
    private const uint RootInode = 2;
    private const uint ResizeInode = 7;
    private const uint LostAndFoundInode = Ext2MkfsPlanner.FirstInode;
    private const ushort BlockGroupInodeZeroed = 0x0004; // EXT2_BG_INODE_ZEROED: the inode table was written with zeros
    private const int GroupDescriptorFlagsOffset = 18;   // bg_flags
    private const int InodeExtraSizeOffset = 128;        // i_extra_isize
    private const int InodeCreationTimeOffset = 144;     // i_crtime
    private const byte DirectoryFileType = 2;            // EXT2_FT_DIR

    private readonly Ext2Layout _layout;
    private readonly uint _now;
    private readonly int _blockSize;
    private readonly long[] _backupGroups;

    public Ext2MkfsImage(Ext2Layout layout, uint now)
    {
        _layout = layout;
        _now = now;
        _blockSize = layout.BlockSize;
        _backupGroups = layout.BackupGroups.Select(g => (long)g.Index).ToArray();
    }

    /// <summary>The block runs mkfs writes, in ascending order.</summary>
    public IEnumerable<Ext2MkfsRegion> Regions()
    {
        foreach (Ext2GroupLayout group in _layout.Groups)
        {
            long end = group.InodeTable + _layout.InodeTableBlocks;
            if (group.Index == 0)
            {
                // From block 0 (the boot block mke2fs zaps) through group 0's directories and resize block.
                end = _layout.LostAndFoundBlock + _layout.LostAndFoundBlocks + (_layout.ResizeInodeBlock != 0 ? 1 : 0);
                yield return new Ext2MkfsRegion(0, end);
            }
            else
            {
                yield return new Ext2MkfsRegion(group.FirstBlock, end - group.FirstBlock);
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> (one block) with block <paramref name="block"/>; false when it is all zeros.</summary>
    public bool Render(long block, Span<byte> destination)
    {
        destination.Clear();
        if (block < _layout.FirstDataBlock)
            return false;
        Ext2GroupLayout group = _layout.Groups[(int)((block - _layout.FirstDataBlock) / _layout.BlocksPerGroup)];
        long offset = block - group.FirstBlock;
        if (group.HasSuperBlock && offset < 1 + _layout.DescriptorBlocks + _layout.ReservedGdtBlocks)
        {
            if (offset == 0)
            {
                // Group 0's superblock sits at byte 1024 of the volume, inside block 0 when blocks are larger.
                int at = group.Index == 0 && _blockSize > Ext2SuperBlock.ByteOffset ? (int)Ext2SuperBlock.ByteOffset : 0;
                Ext2MkfsSuperBlock.Write(_layout, _now, group.Index, destination.Slice(at, Ext2SuperBlock.Size));
                return true;
            }
            if (offset <= _layout.DescriptorBlocks)
            {
                RenderDescriptors((int)offset - 1, destination);
                return true;
            }
            // Reserved GDT blocks: group 0's are the resize inode's indirect blocks listing their backups.
            return group.Index == 0 && RenderReservedGdt(block, destination);
        }
        if (block == group.BlockBitmap)
        {
            // The free blocks of a fresh group are one run at its end.
            RenderBitmap(destination, (int)(group.BlockCount - group.FreeBlocks), (int)group.BlockCount);
            return true;
        }
        if (block == group.InodeBitmap)
        {
            RenderBitmap(destination, group.Index == 0 ? Ext2MkfsPlanner.FirstInode : 0, _layout.InodesPerGroup);
            return true;
        }
        if (block >= group.InodeTable && block < group.InodeTable + _layout.InodeTableBlocks)
            return group.Index == 0 && RenderInodes(block - group.InodeTable, destination);
        if (block == _layout.RootDirectoryBlock)
        {
            int next = Entry(destination, 0, RootInode, ".", 12);
            next = Entry(destination, next, RootInode, "..", 12);
            Entry(destination, next, LostAndFoundInode, "lost+found", _blockSize - next);
            return true;
        }
        if (block == _layout.LostAndFoundBlock)
        {
            int next = Entry(destination, 0, LostAndFoundInode, ".", 12);
            Entry(destination, next, RootInode, "..", _blockSize - next);
            return true;
        }
        if (block > _layout.LostAndFoundBlock && block < _layout.LostAndFoundBlock + _layout.LostAndFoundBlocks)
        {
            // An empty directory block: one unused entry spanning it.
            BinaryPrimitives.WriteUInt16LittleEndian(destination[Ext2DirectoryEntry.RecordLengthOffset..], (ushort)_blockSize);
            return true;
        }
        if (block == _layout.ResizeInodeBlock && block != 0)
        {
            // The double-indirect block points at group 0's reserved GDT blocks, at the index each would have as
            // the descriptor block it becomes (s_first_data_block + 1 + n).
            int perBlock = _blockSize / 4;
            long first = _layout.FirstDataBlock + 1 + _layout.DescriptorBlocks;
            for (int i = 0; i < _layout.ReservedGdtBlocks; i++)
                W32(destination, (_layout.DescriptorBlocks + i) % perBlock, (uint)(first + i));
            return true;
        }
        return false;
    }

    private void RenderDescriptors(int tableBlock, Span<byte> destination)
    {
        int perBlock = _blockSize / Ext2GroupDescriptor.Size;
        int firstGroup = tableBlock * perBlock;
        for (int i = 0; i < perBlock && firstGroup + i < _layout.GroupCount; i++)
        {
            Ext2GroupLayout group = _layout.Groups[firstGroup + i];
            Span<byte> slot = destination.Slice(i * Ext2GroupDescriptor.Size, Ext2GroupDescriptor.Size);
            new Ext2GroupDescriptor((uint)group.BlockBitmap, (uint)group.InodeBitmap, (uint)group.InodeTable,
                (ushort)group.FreeBlocks, (ushort)group.FreeInodes, (ushort)group.UsedDirectories).Write(slot);
            BinaryPrimitives.WriteUInt16LittleEndian(slot[GroupDescriptorFlagsOffset..], BlockGroupInodeZeroed);
        }
    }

    /// <summary>A primary reserved GDT block lists the same block in every backup group (the resize inode's indirect block).</summary>
    private bool RenderReservedGdt(long block, Span<byte> destination)
    {
        for (int i = 0; i < _backupGroups.Length; i++)
            W32(destination, i, (uint)(block + _backupGroups[i] * _layout.BlocksPerGroup));
        return _backupGroups.Length > 0;
    }

    /// <summary>A bitmap block: bits below <paramref name="used"/> set, then clear up to <paramref name="count"/>, then padding set.</summary>
    private static void RenderBitmap(Span<byte> destination, int used, int count)
    {
        destination.Fill(0xFF);
        for (int bit = used; bit < count; bit++)
            destination[bit >> 3] &= (byte)~(1 << (bit & 7));
    }

    /// <summary>Group 0's inode table block <paramref name="tableBlock"/>: the reserved inodes mke2fs writes (1, 2, 7, 11).</summary>
    private bool RenderInodes(long tableBlock, Span<byte> destination)
    {
        int perBlock = _blockSize / _layout.InodeSize;
        long firstInode = tableBlock * perBlock + 1;
        if (firstInode > LostAndFoundInode)
            return false;
        bool any = false;
        for (int i = 0; i < perBlock; i++)
        {
            uint number = (uint)(firstInode + i);
            Span<byte> record = destination.Slice(i * _layout.InodeSize, _layout.InodeSize);
            any |= RenderInode(number, record);
        }
        return any;
    }

    private bool RenderInode(uint number, Span<byte> record)
    {
        var inode = new Ext2Inode { AccessTime = _now, ChangeTime = _now, ModifyTime = _now };
        switch (number)
        {
            case 1:
                // The bad blocks inode: empty, but ext2fs_update_bb_inode stamps its times.
                inode.Write(record);
                return true;
            case RootInode:
                inode.Mode = (ushort)((int)InodeType.Directory | 0x1ED);
                inode.LinksCount = 3;
                inode.FileSize = (ulong)_blockSize;
                inode.Blocks = (uint)(_blockSize / 512);
                inode.Block[0] = (uint)_layout.RootDirectoryBlock;
                break;
            case LostAndFoundInode:
                inode.Mode = (ushort)((int)InodeType.Directory | 0x1C0);
                inode.LinksCount = 2;
                inode.FileSize = (ulong)(_layout.LostAndFoundBlocks * _blockSize);
                inode.Blocks = (uint)(_layout.LostAndFoundBlocks * _blockSize / 512);
                for (int i = 0; i < _layout.LostAndFoundBlocks; i++)
                    inode.Block[i] = (uint)(_layout.LostAndFoundBlock + i);
                break;
            case ResizeInode when _layout.ResizeInodeBlock != 0:
                // As ext2fs_create_resize_inode makes it: a regular file as large as its double-indirect tree could
                // map, owning that block, group 0's reserved GDT blocks and their copies in the backup groups.
                long perBlock = _blockSize / 4;
                long blocksOwned = 1 + (long)_layout.ReservedGdtBlocks * (1 + _backupGroups.Length);
                inode.Mode = (ushort)((int)InodeType.Regular | 0x180);
                inode.LinksCount = 1;
                inode.FileSize = (ulong)((perBlock * perBlock + perBlock + Ext2Inode.DirectBlocks) * _blockSize);
                inode.Blocks = (uint)(blocksOwned * (_blockSize / 512));
                inode.Block[Ext2Inode.DoubleIndirectSlot] = (uint)_layout.ResizeInodeBlock;
                break;
            default:
                return false;
        }
        inode.Write(record);
        if (_layout.InodeSize > Ext2Inode.Size)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(record[InodeExtraSizeOffset..], Ext2MkfsSuperBlock.ExtraInodeSize);
            BinaryPrimitives.WriteUInt32LittleEndian(record[InodeCreationTimeOffset..], _now);
        }
        return true;
    }

    /// <summary>Writes a directory entry at <paramref name="at"/> and returns where the next one starts.</summary>
    private int Entry(Span<byte> block, int at, uint inode, string name, int recordLength)
    {
        byte fileType = (_layout.FeatureIncompat & Ext2IncompatFeatures.FileType) != 0 ? DirectoryFileType : (byte)0;
        new Ext2DirectoryEntry(inode, (ushort)recordLength, (byte)name.Length, fileType, name).Write(block[at..]);
        return at + recordLength;
    }

    private static void W32(Span<byte> block, int index, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(block[(index * 4)..], value);
}
