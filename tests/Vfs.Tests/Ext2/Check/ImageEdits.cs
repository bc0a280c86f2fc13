using System.Buffers.Binary;
using System.Text;
using Hardware.Vfs.Ext2;

namespace Hardware.Vfs.Tests.Ext2.Check;

/// <summary>Finding things in a raw image (paths, entries, descriptors, bitmap bits) for targeted corruptions.</summary>
internal static class ImageEdits
{
    /// <summary>A directory entry's position and fields.</summary>
    public readonly record struct Entry(int Offset, uint Inode, string Name, byte FileType);

    public static int GroupDescriptorOffset(this ImageEditor image, int group) =>
        (int)((image.SuperBlock.FirstDataBlock + 1) * (long)image.BlockSize) + group * Ext2GroupDescriptor.Size;

    public static Ext2GroupDescriptor Group(this ImageEditor image, int group) =>
        Ext2GroupDescriptor.Read(image.Image.AsSpan(image.GroupDescriptorOffset(group)));

    /// <summary>The disk blocks of a file's first <paramref name="count"/> file blocks (direct and single indirect).</summary>
    public static List<uint> Blocks(this ImageEditor image, uint inode)
    {
        Ext2Inode record = image.Inode(inode);
        var blocks = record.Block.Take(Ext2Inode.DirectBlocks).Where(b => b != 0).ToList();
        uint indirect = record.Block[Ext2Inode.IndirectSlot];
        if (indirect != 0)
        {
            for (int i = 0; i < image.BlockSize / 4; i++)
            {
                uint block = BinaryPrimitives.ReadUInt32LittleEndian(image.Image.AsSpan((int)(indirect * (long)image.BlockSize) + 4 * i));
                if (block != 0)
                    blocks.Add(block);
            }
        }
        return blocks;
    }

    public static List<Entry> Entries(this ImageEditor image, uint directory)
    {
        var entries = new List<Entry>();
        foreach (uint block in image.Blocks(directory))
        {
            int start = (int)(block * (long)image.BlockSize);
            for (int offset = 0; offset < image.BlockSize;)
            {
                (uint inode, ushort recordLength, byte nameLength, byte fileType) = Ext2DirectoryEntry.ReadHeader(image.Image.AsSpan(start + offset));
                entries.Add(new Entry(start + offset, inode, Encoding.UTF8.GetString(image.Image, start + offset + 8, nameLength), fileType));
                if (recordLength == 0)
                    break;
                offset += recordLength;
            }
        }
        return entries;
    }

    public static Entry EntryOf(this ImageEditor image, string path)
    {
        uint directory = Ext2Volume.RootInode;
        string[] parts = path.Trim('/').Split('/');
        Entry entry = default;
        foreach (string part in parts)
        {
            entry = image.Entries(directory).Single(e => e.Inode != 0 && e.Name == part);
            directory = entry.Inode;
        }
        return entry;
    }

    public static uint InodeOf(this ImageEditor image, string path) => image.EntryOf(path).Inode;

    public static void SetEntryInode(this ImageEditor image, Entry entry, uint inode) =>
        BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(entry.Offset + Ext2DirectoryEntry.InodeOffset), inode);

    public static void SetEntryFileType(this ImageEditor image, Entry entry, byte fileType) =>
        image.Image[entry.Offset + Ext2DirectoryEntry.FileTypeOffset] = fileType;

    public static void SetLinksCount(this ImageEditor image, uint inode, ushort links) =>
        BinaryPrimitives.WriteUInt16LittleEndian(image.Image.AsSpan(image.InodeOffset(inode) + Ext2Inode.LinksCountOffset), links);

    /// <summary>Clears block <paramref name="block"/>'s bit in its group's block bitmap.</summary>
    public static void ClearBlockBit(this ImageEditor image, uint block)
    {
        Ext2SuperBlock sb = image.SuperBlock;
        long index = block - sb.FirstDataBlock;
        Ext2GroupDescriptor group = image.Group((int)(index / sb.BlocksPerGroup));
        ClearBit(image, group.BlockBitmap, index % sb.BlocksPerGroup);
    }

    public static void ClearInodeBit(this ImageEditor image, uint inode)
    {
        Ext2SuperBlock sb = image.SuperBlock;
        Ext2GroupDescriptor group = image.Group((int)((inode - 1) / sb.InodesPerGroup));
        ClearBit(image, group.InodeBitmap, (inode - 1) % sb.InodesPerGroup);
    }

    private static void ClearBit(ImageEditor image, uint bitmap, long bit)
    {
        int offset = (int)(bitmap * (long)image.BlockSize + bit / 8);
        Assert.True((image.Image[offset] & 1 << (int)(bit % 8)) != 0, $"bit {bit} of bitmap block {bitmap} is already clear");
        image.Image[offset] &= (byte)~(1 << (int)(bit % 8));
    }
}
