using System.Buffers.Binary;
using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// Making inodes (ext2_new_inode plus the type-specific setup of ext2_create, ext2_mkdir, ext2_mknod and
/// ext2_symlink). A failure after the inode number was taken gives everything back through eviction, so a full
/// filesystem leaves no half-made file behind.
/// </summary>
public sealed partial class Ext2Volume
{
    /// <summary>A new, unlinked inode of <paramref name="type"/> near <paramref name="directory"/>.</summary>
    internal async ValueTask<(Inode? Inode, Errno Error)> NewInodeAsync(Inode directory, InodeType type, int mode, Credentials owner, uint device)
    {
        (uint number, Errno error) = await AllocateInodeAsync((uint)directory.Number, type);
        if (error != Errno.None)
            return (null, error);
        uint now = (uint)(SuperBlock.Now / 1_000_000_000L);
        bool inheritGroup = (directory.Mode & ModeBits.SetGid) != 0;
        // A recycled inode brings its data and on-disk record copy along: both are reset, not made again.
        Inode inode = AllocateInode(number, type);
        Ext2InodeData? data = TakeRecycledData(inode);
        Ext2Inode record;
        if (data is null)
        {
            record = new Ext2Inode();
            data = new Ext2InodeData(number, record);
        }
        else
        {
            record = data.Record;
            record.Clear();
            data.Reset(number, record);
        }
        record.Mode = (ushort)((int)type | (mode & ModeBits.All) | (inheritGroup && type == InodeType.Directory ? ModeBits.SetGid : 0));
        record.Uid = (uint)owner.Uid;
        record.Gid = (uint)(inheritGroup ? directory.Gid : owner.Gid);
        record.LinksCount = 1;
        record.AccessTime = now;
        record.ModifyTime = now;
        record.ChangeTime = now;
        if (type is InodeType.CharDevice or InodeType.BlockDevice)
            EncodeDevice(record, device);
        Setup(inode, data);
        inode.Touch();
        return (inode, Errno.None);
    }

    /// <summary>Gives back an inode whose setup failed: no links, so eviction frees its blocks and number.</summary>
    internal async ValueTask AbandonAsync(Inode inode)
    {
        inode.LinkCount = 0;
        await EvictInodeAsync(inode);
    }

    /// <summary>
    /// A symlink's target: under 60 bytes in i_block (a fast symlink, no data block), else in one data block
    /// (ENAMETOOLONG past a block, as Linux).
    /// </summary>
    internal async ValueTask<Errno> WriteSymlinkTargetAsync(Inode symlink, string target)
    {
        var data = (Ext2InodeData)symlink.Private!;
        byte[] bytes = Encoding.UTF8.GetBytes(target);
        if (bytes.Length >= BlockSize)
            return Errno.ENAMETOOLONG;
        if (bytes.Length < Ext2Inode.InlineBytes)
        {
            Span<byte> inline = stackalloc byte[Ext2Inode.InlineBytes];
            inline.Clear();
            bytes.CopyTo(inline);
            for (int i = 0; i < Ext2Inode.BlockPointers; i++)
                data.Record.Block[i] = BinaryPrimitives.ReadUInt32LittleEndian(inline[(i * 4)..]);
        }
        else
        {
            (uint block, Errno error) = await GetBlockAsync(data, 0, create: true);
            if (error != Errno.None)
                return error;
            using BufferLease lease = await Buffers.GetBlockAsync(block);
            if (!lease.Ok)
                return lease.Status;
            lease.Data.Clear();
            bytes.CopyTo(lease.Data);
            lease.MarkDirty();
        }
        data.Target = target;
        symlink.Size = bytes.Length;
        symlink.Touch();
        return Errno.None;
    }

    /// <summary>Old encoding (8-bit major and minor) in i_block[0] when it fits, else the new one in i_block[1] (as Linux).</summary>
    private static void EncodeDevice(Ext2Inode record, uint device)
    {
        int major = (int)(device >> 20);
        int minor = (int)(device & 0xFFFFF);
        if (major < 256 && minor < 256)
            record.Block[0] = (uint)(major << 8 | minor);
        else
            record.Block[1] = (uint)((minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12));
    }
}
