using System.Buffers.Binary;
using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// Editing directory records in place (ext2_add_link, ext2_delete_entry, ext2_set_link): a new record takes the
/// first free record or the slack after a live one that is large enough, else a new block at the end; a removed
/// record is merged into its predecessor in the block (or emptied when it is first). Every block is validated before
/// it is changed, so a corrupt directory is reported and never made worse. Any change to an indexed directory clears
/// EXT2_INDEX_FL, as Linux's ext2 does: its htree blocks stay valid linear records and e2fsck accepts the directory.
/// </summary>
public sealed partial class Ext2Volume
{
    /// <summary>EXT2_INDEX_FL (EXT2_BTREE_FL): the directory carries an htree index.</summary>
    internal const uint IndexFlag = 0x1000;

    private bool HasFileTypes => (Record.FeatureIncompat & Ext2IncompatFeatures.FileType) != 0;

    private byte FileTypeByte(InodeType type) => HasFileTypes ? Ext2DirectoryEntry.FileTypeOf(type) : (byte)0;

    /// <summary>ext2_add_link: a record naming <paramref name="number"/> as <paramref name="name"/>.</summary>
    internal async ValueTask<Errno> AddEntryAsync(Inode directory, string name, uint number, InodeType type)
    {
        var data = (Ext2InodeData)directory.Private!;
        int keyLength = Encoding.UTF8.GetByteCount(name);
        if (keyLength > Ext2DirectoryEntry.MaxNameLength)
            return Errno.ENAMETOOLONG;
        int needed = Ext2DirectoryEntry.RecordSizeFor(keyLength);
        long blocks = DirectoryBlocks(directory);
        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            (BufferLease lease, _, Errno error) = await ReadDirectoryBlockAsync(data, fileBlock);
            if (error != Errno.None)
                return error;
            using (lease)
            {
                if (TryInsertName(lease.Data, name, needed, number, FileTypeByte(type)))
                {
                    lease.MarkDirty();
                    DirectoryChanged(directory, data);
                    return Errno.None;
                }
            }
        }
        (uint block, Errno grown) = await GetBlockAsync(data, blocks, create: true);
        if (grown != Errno.None)
            return grown;
        using (BufferLease fresh = await Buffers.GetBlockAsync(block))
        {
            if (!fresh.Ok)
                return fresh.Status;
            fresh.Data.Clear();
            Span<byte> key = stackalloc byte[Ext2DirectoryEntry.MaxNameLength];
            key = key[..EncodeName(name, key)];
            WriteRecord(fresh.Data, number, (ushort)BlockSize, key, FileTypeByte(type));
            fresh.MarkDirty();
        }
        directory.Size += BlockSize;
        DirectoryChanged(directory, data);
        return Errno.None;
    }

    /// <summary><see cref="TryInsert"/> with the name encoded on the stack.</summary>
    private static bool TryInsertName(Span<byte> block, string name, int needed, uint number, byte fileType)
    {
        Span<byte> key = stackalloc byte[Ext2DirectoryEntry.MaxNameLength];
        return TryInsert(block, key[..EncodeName(name, key)], needed, number, fileType);
    }

    /// <summary>Places the record in a free record or in a live record's slack; false when the block has no room.</summary>
    private static bool TryInsert(Span<byte> block, ReadOnlySpan<byte> name, int needed, uint number, byte fileType)
    {
        for (int offset = 0; offset < block.Length;)
        {
            (uint inode, ushort recordLength, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            int used = inode == 0 ? 0 : Ext2DirectoryEntry.RecordSizeFor(nameLength);
            if (recordLength - used >= needed)
            {
                if (used == 0)
                {
                    WriteRecord(block[offset..], number, recordLength, name, fileType);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(block[(offset + Ext2DirectoryEntry.RecordLengthOffset)..], (ushort)used);
                    WriteRecord(block[(offset + used)..], number, (ushort)(recordLength - used), name, fileType);
                }
                return true;
            }
            offset += recordLength;
        }
        return false;
    }

    private static void WriteRecord(Span<byte> at, uint number, ushort recordLength, ReadOnlySpan<byte> name, byte fileType)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at[Ext2DirectoryEntry.InodeOffset..], number);
        BinaryPrimitives.WriteUInt16LittleEndian(at[Ext2DirectoryEntry.RecordLengthOffset..], recordLength);
        at[Ext2DirectoryEntry.NameLengthOffset] = (byte)name.Length;
        at[Ext2DirectoryEntry.FileTypeOffset] = fileType;
        name.CopyTo(at[Ext2DirectoryEntry.NameOffset..]);
    }

    /// <summary>ext2_delete_entry: removes the record named <paramref name="name"/>.</summary>
    internal ValueTask<Errno> RemoveEntryAsync(Inode directory, string name) =>
        EditEntryAsync(directory, name, (block, offset, previous) =>
        {
            ushort recordLength = BinaryPrimitives.ReadUInt16LittleEndian(block[(offset + Ext2DirectoryEntry.RecordLengthOffset)..]);
            if (previous >= 0)
            {
                ushort merged = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(block[(previous + Ext2DirectoryEntry.RecordLengthOffset)..]) + recordLength);
                BinaryPrimitives.WriteUInt16LittleEndian(block[(previous + Ext2DirectoryEntry.RecordLengthOffset)..], merged);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(block[(offset + Ext2DirectoryEntry.InodeOffset)..], 0);
            }
        });

    /// <summary>ext2_set_link: the record named <paramref name="name"/> now names <paramref name="number"/>.</summary>
    internal ValueTask<Errno> SetEntryAsync(Inode directory, string name, uint number, InodeType type)
    {
        byte fileType = FileTypeByte(type);
        return EditEntryAsync(directory, name, (block, offset, _) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block[(offset + Ext2DirectoryEntry.InodeOffset)..], number);
            block[offset + Ext2DirectoryEntry.FileTypeOffset] = fileType;
        });
    }

    /// <summary>Points a moved directory's '..' (its first block's second record) at <paramref name="parentNumber"/>.</summary>
    internal async ValueTask<Errno> SetParentAsync(Inode directory, uint parentNumber)
    {
        var data = (Ext2InodeData)directory.Private!;
        (BufferLease lease, uint block, Errno error) = await ReadDirectoryBlockAsync(data, 0);
        if (error != Errno.None)
            return error;
        using (lease)
        {
            Span<byte> bytes = lease.Data;
            ushort first = Ext2DirectoryEntry.ReadHeader(bytes).RecordLength;
            if (first >= bytes.Length || !IsDotDot(bytes[first..]))
                return Corrupt($"directory inode {data.Number} block {block}: the second record is not '..'");
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[(first + Ext2DirectoryEntry.InodeOffset)..], parentNumber);
            lease.MarkDirty();
        }
        DirectoryChanged(directory, data);
        return Errno.None;
    }

    private static bool IsDotDot(ReadOnlySpan<byte> record)
    {
        (_, _, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(record);
        return nameLength == 2 && record[Ext2DirectoryEntry.NameOffset] == (byte)'.' && record[Ext2DirectoryEntry.NameOffset + 1] == (byte)'.';
    }

    /// <summary>A new directory's first block: '.' and '..' (ext2_make_empty).</summary>
    internal async ValueTask<Errno> MakeEmptyDirectoryAsync(Inode directory, uint parentNumber)
    {
        var data = (Ext2InodeData)directory.Private!;
        (uint block, Errno error) = await GetBlockAsync(data, 0, create: true);
        if (error != Errno.None)
            return error;
        using (BufferLease lease = await Buffers.GetBlockAsync(block))
        {
            if (!lease.Ok)
                return lease.Status;
            Span<byte> bytes = lease.Data;
            bytes.Clear();
            int dotLength = Ext2DirectoryEntry.RecordSizeFor(1);
            WriteRecord(bytes, data.Number, (ushort)dotLength, "."u8, FileTypeByte(InodeType.Directory));
            WriteRecord(bytes[dotLength..], parentNumber, (ushort)(BlockSize - dotLength), ".."u8, FileTypeByte(InodeType.Directory));
            lease.MarkDirty();
        }
        directory.Size = BlockSize;
        return Errno.None;
    }

    /// <summary>Finds the record named <paramref name="name"/> and applies <paramref name="edit"/> (block, offset, previous offset or -1).</summary>
    private async ValueTask<Errno> EditEntryAsync(Inode directory, string name, RecordEdit edit)
    {
        var data = (Ext2InodeData)directory.Private!;
        if (Encoding.UTF8.GetByteCount(name) > Ext2DirectoryEntry.MaxNameLength)
            return Errno.ENOENT;
        long blocks = DirectoryBlocks(directory);
        for (long fileBlock = 0; fileBlock < blocks; fileBlock++)
        {
            (BufferLease lease, _, Errno error) = await ReadDirectoryBlockAsync(data, fileBlock);
            if (error != Errno.None)
                return error;
            using (lease)
            {
                int offset = FindName(lease.Data, name);
                if (offset < 0)
                    continue;
                edit(lease.Data, offset, PreviousRecord(lease.Data, offset));
                lease.MarkDirty();
            }
            DirectoryChanged(directory, data);
            return Errno.None;
        }
        return Errno.ENOENT;
    }

    private delegate void RecordEdit(Span<byte> block, int offset, int previous);

    private static int PreviousRecord(ReadOnlySpan<byte> block, int offset)
    {
        int previous = -1;
        for (int at = 0; at < offset; at += Ext2DirectoryEntry.ReadHeader(block[at..]).RecordLength)
            previous = at;
        return previous;
    }

    /// <summary>mtime and ctime of the directory, and the htree index dropped (its blocks stay valid linear records).</summary>
    private static void DirectoryChanged(Inode directory, Ext2InodeData data)
    {
        data.Record.Flags &= ~IndexFlag;
        directory.Touch();
    }
}
