using System.Buffers.Binary;
using Hardware.Vfs.Ext2;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>Finds and damages structures inside an ext2 image held in memory (for the corruption tests).</summary>
internal sealed class ImageEditor(byte[] image)
{
    public byte[] Image { get; } = image;

    public Ext2SuperBlock SuperBlock => Ext2SuperBlock.Read(Image.AsSpan((int)Ext2SuperBlock.ByteOffset));

    public int BlockSize => SuperBlock.BlockSize;

    public void SetSuperBlock(Action<Ext2SuperBlock> change)
    {
        Ext2SuperBlock sb = SuperBlock;
        change(sb);
        sb.Write(Image.AsSpan((int)Ext2SuperBlock.ByteOffset, Ext2SuperBlock.Size));
    }

    /// <summary>The byte offset of inode <paramref name="number"/>'s record.</summary>
    public int InodeOffset(uint number)
    {
        Ext2SuperBlock sb = SuperBlock;
        uint group = (number - 1) / sb.InodesPerGroup;
        long gdt = (sb.FirstDataBlock + 1) * (long)sb.BlockSize + group * Ext2GroupDescriptor.Size;
        Ext2GroupDescriptor descriptor = Ext2GroupDescriptor.Read(Image.AsSpan((int)gdt));
        return (int)(descriptor.InodeTable * (long)sb.BlockSize + (number - 1) % sb.InodesPerGroup * sb.InodeSize);
    }

    public Ext2Inode Inode(uint number) => Ext2Inode.Read(Image.AsSpan(InodeOffset(number)), sizeHighIsSize: true);

    public void SetBlockPointer(uint number, int slot, uint block) =>
        BinaryPrimitives.WriteUInt32LittleEndian(Image.AsSpan(InodeOffset(number) + Ext2Inode.BlockOffset + 4 * slot), block);

    /// <summary>Sets rec_len of the first entry of the directory's first block; returns that block's number.</summary>
    public uint SetFirstRecordLength(uint directory, ushort recordLength)
    {
        uint block = Inode(directory).Block[0];
        BinaryPrimitives.WriteUInt16LittleEndian(Image.AsSpan((int)(block * (long)BlockSize) + Ext2DirectoryEntry.RecordLengthOffset), recordLength);
        return block;
    }
}
