using Hardware.BlockLayer;
using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// Inode write-back (ext2_write_inode) and eviction (ext2_evict_inode): the VFS inode's attributes go into the
// on-disk record in the inode table through the buffer cache; an inode without links or opens gives back its blocks
// and its number.
public sealed partial class Ext2Volume
{
    /// <summary>The h_magic of an extended-attribute block (EXT2_XATTR_MAGIC) and the offset of h_refcount.</summary>
    private const uint XattrMagic = 0xEA020000;
    private const int XattrRefCountOffset = 4;

    /// <summary>The inode-table block and byte offset of inode <paramref name="number"/>.</summary>
    private (long Block, int Offset, Errno Error) LocateInode(uint number)
    {
        if (number < 1 || number > Record.InodesCount)
            return (0, 0, Corrupt($"inode number {number} out of range 1..{Record.InodesCount}"));
        uint group = (number - 1) / Record.InodesPerGroup;
        long byteOffset = (long)((number - 1) % Record.InodesPerGroup) * Record.InodeSize;
        long tableBlock = _groups[group].InodeTable;
        long block = tableBlock + byteOffset / BlockSize;
        if (tableBlock == 0 || block >= Record.BlocksCount || block >= Buffers.BlockCount)
            return (0, 0, Corrupt($"inode table of group {group} (block {tableBlock}) holds inode {number} past the volume's end"));
        return (block, (int)(byteOffset % BlockSize), Errno.None);
    }

    /// <summary>
    /// ext2_write_inode: copies <paramref name="inode"/>'s mode, owner (with the high 16 bits), size (i_size_high for
    /// a regular file), times in seconds and link count into its record and writes the record's 128-byte base into the
    /// inode table (the buffer is dirtied; bytes past the base of a larger inode are kept). i_blocks is the record's
    /// own count, kept by allocation and truncation. A regular file past 2 GiB sets large_file in the superblock.
    /// </summary>
    internal async ValueTask<Errno> WriteInodeAsync(Inode inode)
    {
        if (inode.Private is not Ext2InodeData data)
            return Errno.EINVAL;
        if (!_readWrite)
            return Errno.EROFS;
        if (data.IsFreed)
            return Errno.None;
        Ext2Inode record = data.Record;
        record.Mode = (ushort)inode.FullMode;
        record.Uid = (uint)inode.Uid;
        record.Gid = (uint)inode.Gid;
        if (inode.Type is not (InodeType.CharDevice or InodeType.BlockDevice or InodeType.Fifo or InodeType.Socket))
            record.FileSize = (ulong)inode.Size;
        record.AccessTime = ToSeconds(inode.AccessTimeNs);
        record.ModifyTime = ToSeconds(inode.ModifyTimeNs);
        record.ChangeTime = ToSeconds(inode.ChangeTimeNs);
        record.LinksCount = (ushort)Math.Clamp(inode.LinkCount, 0, ushort.MaxValue);
        inode.Blocks = record.Blocks;
        if (inode.Type == InodeType.Regular && inode.Size > int.MaxValue &&
            (Record.FeatureRoCompat & Ext2RoCompatFeatures.LargeFile) == 0)
            Record.FeatureRoCompat |= Ext2RoCompatFeatures.LargeFile;
        return await WriteRecordAsync(data);
    }

    /// <summary>Writes the record's 128-byte base into its slot of the inode table (dirty buffer).</summary>
    private async ValueTask<Errno> WriteRecordAsync(Ext2InodeData data)
    {
        (long block, int offset, Errno error) = LocateInode(data.Number);
        if (error != Errno.None)
            return error;
        using BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return lease.Status;
        data.Record.Write(lease.Data.Slice(offset, Ext2Inode.Size));
        lease.MarkDirty();
        return Errno.None;
    }

    /// <summary>
    /// evict_inode: an inode with no links and no opens gives back its cached pages, every data and indirect block
    /// and its extended-attribute block reference, gets i_dtime, is written, and its number is freed; the VFS inode
    /// is then freed (a regular file's to the superblock's free list, its data kept for reset).
    /// </summary>
    public async ValueTask EvictInodeAsync(Inode inode)
    {
        if (inode.Private is not Ext2InodeData data || data.IsFreed || inode.LinkCount > 0)
            return;
        if (inode.Mapping is { IsLive: true } mapping)
            await mapping.Cache.ReleaseAsync(mapping);
        ReleasePendingFrom(data, 0);
        DiscardWindow(data);
        if (!_readWrite)
        {
            _inodes.Remove(data.Number);
            data.IsFreed = true;
            inode.Free();
            return;
        }
        if (HasBlockPointers(data.Record))
            await FreeBlocksLockedAsync(data, 0);
        await ReleaseXattrBlockAsync(data);
        inode.Size = 0;
        await WriteInodeAsync(inode);
        data.Record.DeleteTime = NowSeconds;
        await WriteRecordAsync(data);
        await FreeInodeAsync(data.Number, inode.Type);
        data.IsFreed = true;
        _changedRecords.Remove(data);
        _inodes.Remove(data.Number);
        inode.Free();
    }

    /// <summary>Drops the inode's reference to its shared extended-attribute block (i_file_acl), freeing it with the last one.</summary>
    private async ValueTask ReleaseXattrBlockAsync(Ext2InodeData data)
    {
        uint block = data.Record.FileAcl;
        if (block == 0)
            return;
        data.Record.FileAcl = 0;
        data.Record.Blocks -= (uint)Math.Min(data.Record.Blocks, BlockSize / 512);
        if (!IsValidBlock(block))
        {
            Corrupt($"inode {data.Number}: extended attribute block {block} is outside the volume");
            return;
        }
        using (BufferLease lease = await Buffers.GetBlockAsync(block))
        {
            if (!lease.Ok)
                return;
            if (BinaryPrimitives.ReadUInt32LittleEndian(lease.Data) != XattrMagic)
            {
                Corrupt($"inode {data.Number}: extended attribute block {block} has no xattr magic");
                return;
            }
            uint references = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[XattrRefCountOffset..]);
            if (references > 1)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(lease.Data[XattrRefCountOffset..], references - 1);
                lease.MarkDirty();
                return;
            }
        }
        await FreeBlockAsync(block, data.Number);
    }
}
