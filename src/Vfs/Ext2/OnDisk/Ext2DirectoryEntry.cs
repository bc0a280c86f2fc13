using System.Buffers.Binary;
using System.Text;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// struct ext2_dir_entry_2: a variable-length directory record (inode, rec_len, name_len, file_type, name). Without
/// the filetype feature the file_type byte is the high byte of a 16-bit name length and reads as zero.
/// </summary>
public readonly record struct Ext2DirectoryEntry(uint Inode, ushort RecordLength, byte NameLength, byte FileType, string Name)
{
    /// <summary>The fixed header before the name.</summary>
    public const int HeaderSize = 8;
    public const int InodeOffset = 0;
    public const int RecordLengthOffset = 4;
    public const int NameLengthOffset = 6;
    public const int FileTypeOffset = 7;
    public const int NameOffset = 8;
    public const int MaxNameLength = 255;

    /// <summary>The smallest record holding a name of <paramref name="nameLength"/> bytes (4-byte aligned).</summary>
    public static int RecordSizeFor(int nameLength) => (HeaderSize + nameLength + 3) & ~3;

    /// <summary>Reads the header only (no name).</summary>
    public static (uint Inode, ushort RecordLength, byte NameLength, byte FileType) ReadHeader(ReadOnlySpan<byte> s) => (
        BinaryPrimitives.ReadUInt32LittleEndian(s[InodeOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(s[RecordLengthOffset..]),
        s[NameLengthOffset],
        s[FileTypeOffset]);

    public static Ext2DirectoryEntry Read(ReadOnlySpan<byte> s)
    {
        (uint inode, ushort recordLength, byte nameLength, byte fileType) = ReadHeader(s);
        return new Ext2DirectoryEntry(inode, recordLength, nameLength, fileType, Encoding.UTF8.GetString(s.Slice(NameOffset, nameLength)));
    }

    public void Write(Span<byte> d)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d[InodeOffset..], Inode);
        BinaryPrimitives.WriteUInt16LittleEndian(d[RecordLengthOffset..], RecordLength);
        d[NameLengthOffset] = NameLength;
        d[FileTypeOffset] = FileType;
        Encoding.UTF8.GetBytes(Name.AsSpan(), d.Slice(NameOffset, NameLength));
    }

    /// <summary>The EXT2_FT_* code of a file type (0 unknown, 1 regular, 2 directory, 3 chr, 4 blk, 5 fifo, 6 sock, 7 symlink).</summary>
    public static byte FileTypeOf(InodeType type) => type switch
    {
        InodeType.Regular => 1,
        InodeType.Directory => 2,
        InodeType.CharDevice => 3,
        InodeType.BlockDevice => 4,
        InodeType.Fifo => 5,
        InodeType.Socket => 6,
        InodeType.Symlink => 7,
        _ => 0,
    };
}
