using System.Text;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// One directory block as a chain of ext2_dir_entry_2 records. Every block is validated before use (rec_len,
/// name_len, inode range), so the walks below never leave the block. An htree (dir_index) interior block reads as a
/// single empty record spanning the block, which is why a linear walk of an indexed directory is correct.
/// </summary>
internal static class Ext2DirectoryBlock
{
    /// <summary>What is wrong with the block's record chain, or null.</summary>
    public static string? Validate(ReadOnlySpan<byte> block, uint inodesCount)
    {
        int offset = 0;
        while (offset < block.Length)
        {
            if (block.Length - offset < Ext2DirectoryEntry.HeaderSize)
                return $"entry at offset {offset} overruns the block";
            (uint inode, ushort recordLength, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            if (recordLength < Ext2DirectoryEntry.HeaderSize || recordLength % 4 != 0 || offset + recordLength > block.Length)
                return $"bad rec_len {recordLength} at offset {offset}";
            if (Ext2DirectoryEntry.HeaderSize + nameLength > recordLength)
                return $"name_len {nameLength} does not fit rec_len {recordLength} at offset {offset}";
            if (inode != 0 && inode > inodesCount)
                return $"entry at offset {offset} names inode {inode} past the {inodesCount} inodes";
            if (inode != 0 && nameLength == 0)
                return $"entry at offset {offset} has an empty name";
            if (inode != 0 && block.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength).IndexOfAny((byte)'/', (byte)0) >= 0)
                return $"entry at offset {offset} has a name holding '/' or NUL";
            offset += recordLength;
        }
        return null;
    }

    /// <summary>The offset of the live record named <paramref name="name"/>, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> block, ReadOnlySpan<byte> name)
    {
        for (int offset = 0; offset < block.Length;)
        {
            (uint inode, ushort recordLength, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            if (inode != 0 && nameLength == name.Length && block.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength).SequenceEqual(name))
                return offset;
            offset += recordLength;
        }
        return -1;
    }

    /// <summary>True for the names every directory has and the VFS supplies itself.</summary>
    public static bool IsDotOrDotDot(ReadOnlySpan<byte> name) =>
        (name.Length == 1 && name[0] == (byte)'.') || (name.Length == 2 && name[0] == (byte)'.' && name[1] == (byte)'.');

    /// <summary>True when the block holds a live record besides . and ..</summary>
    public static bool HasEntries(ReadOnlySpan<byte> block)
    {
        for (int offset = 0; offset < block.Length;)
        {
            (uint inode, ushort recordLength, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            if (inode != 0 && !IsDotOrDotDot(block.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength)))
                return true;
            offset += recordLength;
        }
        return false;
    }

    /// <summary>
    /// Appends the live records at or after <paramref name="from"/> (byte offset in the block), skipping . and ..;
    /// stops after <paramref name="max"/>. Returns the offset just past the last record taken.
    /// </summary>
    public static int Collect(ReadOnlySpan<byte> block, int from, List<(string Name, uint Inode, byte FileType, int Next)> found, int max)
    {
        int offset = 0;
        while (offset < block.Length && found.Count < max)
        {
            (uint inode, ushort recordLength, byte nameLength, byte fileType) = Ext2DirectoryEntry.ReadHeader(block[offset..]);
            int next = offset + recordLength;
            if (offset >= from && inode != 0)
            {
                ReadOnlySpan<byte> name = block.Slice(offset + Ext2DirectoryEntry.NameOffset, nameLength);
                if (!IsDotOrDotDot(name))
                    found.Add((Encoding.UTF8.GetString(name), inode, fileType, next));
            }
            offset = next;
        }
        return offset;
    }

    /// <summary>The VFS type of an EXT2_FT_* code, or null when the code says nothing (0 or unknown).</summary>
    public static InodeType? TypeOf(byte fileType) => fileType switch
    {
        1 => InodeType.Regular,
        2 => InodeType.Directory,
        3 => InodeType.CharDevice,
        4 => InodeType.BlockDevice,
        5 => InodeType.Fifo,
        6 => InodeType.Socket,
        7 => InodeType.Symlink,
        _ => null,
    };
}
