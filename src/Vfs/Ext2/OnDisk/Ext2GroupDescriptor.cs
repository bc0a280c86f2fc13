using System.Buffers.Binary;

namespace Hardware.Vfs.Ext2;

/// <summary>struct ext2_group_desc: 32 bytes per block group, in the table right after the superblock's block.</summary>
public readonly record struct Ext2GroupDescriptor(uint BlockBitmap, uint InodeBitmap, uint InodeTable,
    ushort FreeBlocksCount, ushort FreeInodesCount, ushort UsedDirsCount)
{
    public const int Size = 32;
    public const int BlockBitmapOffset = 0;
    public const int InodeBitmapOffset = 4;
    public const int InodeTableOffset = 8;
    public const int FreeBlocksCountOffset = 12;
    public const int FreeInodesCountOffset = 14;
    public const int UsedDirsCountOffset = 16;

    public static Ext2GroupDescriptor Read(ReadOnlySpan<byte> s) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(s[BlockBitmapOffset..]),
        BinaryPrimitives.ReadUInt32LittleEndian(s[InodeBitmapOffset..]),
        BinaryPrimitives.ReadUInt32LittleEndian(s[InodeTableOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(s[FreeBlocksCountOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(s[FreeInodesCountOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(s[UsedDirsCountOffset..]));

    /// <summary>Writes the fields; the padding and reserved words are zeroed.</summary>
    public void Write(Span<byte> d)
    {
        d[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(d[BlockBitmapOffset..], BlockBitmap);
        BinaryPrimitives.WriteUInt32LittleEndian(d[InodeBitmapOffset..], InodeBitmap);
        BinaryPrimitives.WriteUInt32LittleEndian(d[InodeTableOffset..], InodeTable);
        BinaryPrimitives.WriteUInt16LittleEndian(d[FreeBlocksCountOffset..], FreeBlocksCount);
        BinaryPrimitives.WriteUInt16LittleEndian(d[FreeInodesCountOffset..], FreeInodesCount);
        BinaryPrimitives.WriteUInt16LittleEndian(d[UsedDirsCountOffset..], UsedDirsCount);
    }
}
