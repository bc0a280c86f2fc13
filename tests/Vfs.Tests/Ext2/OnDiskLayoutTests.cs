using System.Buffers.Binary;
using Hardware.Vfs.Ext2;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>Pins the sizes and field offsets of ext2's on-disk records (include/linux/ext2_fs.h, lib/ext2fs/ext2_fs.h).</summary>
public sealed class OnDiskLayoutTests
{
    [Fact]
    public void The_superblock_is_1024_bytes_at_byte_1024_with_its_fields_at_the_kernel_offsets()
    {
        Assert.Equal(1024, Ext2SuperBlock.Size);
        Assert.Equal(1024, Ext2SuperBlock.ByteOffset);
        Assert.Equal(24, Ext2SuperBlock.LogBlockSizeOffset);
        Assert.Equal(32, Ext2SuperBlock.BlocksPerGroupOffset);
        Assert.Equal(40, Ext2SuperBlock.InodesPerGroupOffset);
        Assert.Equal(56, Ext2SuperBlock.MagicOffset);
        Assert.Equal(76, Ext2SuperBlock.RevisionOffset);
        Assert.Equal(88, Ext2SuperBlock.InodeSizeOffset);
        Assert.Equal(92, Ext2SuperBlock.FeatureCompatOffset);
        Assert.Equal(96, Ext2SuperBlock.FeatureIncompatOffset);
        Assert.Equal(100, Ext2SuperBlock.FeatureRoCompatOffset);
        Assert.Equal(104, Ext2SuperBlock.UuidOffset);
        Assert.Equal(120, Ext2SuperBlock.VolumeNameOffset);
        Assert.Equal(206, Ext2SuperBlock.ReservedGdtBlocksOffset);
    }

    [Fact]
    public void A_superblock_round_trips_and_keeps_the_bytes_it_does_not_name()
    {
        var raw = new byte[Ext2SuperBlock.Size];
        raw[500] = 0xAB;
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(Ext2SuperBlock.MagicOffset), 0xEF53);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(Ext2SuperBlock.LogBlockSizeOffset), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(Ext2SuperBlock.RevisionOffset), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(Ext2SuperBlock.InodeSizeOffset), 256);
        "hwstack"u8.CopyTo(raw.AsSpan(Ext2SuperBlock.VolumeNameOffset));
        Ext2SuperBlock sb = Ext2SuperBlock.Read(raw);
        Assert.Equal(Ext2SuperBlock.MagicValue, sb.Magic);
        Assert.Equal(4096, sb.BlockSize);
        Assert.Equal(256, sb.InodeSize);
        Assert.Equal("hwstack", sb.VolumeName);
        sb.FreeBlocksCount = 77;
        var written = new byte[Ext2SuperBlock.Size];
        sb.Write(written);
        Assert.Equal(0xAB, written[500]);
        Assert.Equal(77u, BinaryPrimitives.ReadUInt32LittleEndian(written.AsSpan(Ext2SuperBlock.FreeBlocksCountOffset)));
        Assert.Equal(raw.AsSpan(0, Ext2SuperBlock.FreeBlocksCountOffset).ToArray(), written.AsSpan(0, Ext2SuperBlock.FreeBlocksCountOffset).ToArray());
    }

    [Fact]
    public void A_revision_0_superblock_has_128_byte_inodes_and_first_inode_11()
    {
        var raw = new byte[Ext2SuperBlock.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(Ext2SuperBlock.InodeSizeOffset), 512);
        Ext2SuperBlock sb = Ext2SuperBlock.Read(raw);
        Assert.Equal(128, sb.InodeSize);
        Assert.Equal(11u, sb.FirstInode);
    }

    [Fact]
    public void A_group_descriptor_is_32_bytes_with_the_inode_table_at_offset_8()
    {
        Assert.Equal(32, Ext2GroupDescriptor.Size);
        var group = new Ext2GroupDescriptor(3, 4, 5, 6, 7, 8);
        var raw = new byte[Ext2GroupDescriptor.Size];
        group.Write(raw);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(8)));
        Assert.Equal((ushort)8, BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(16)));
        Assert.Equal(group, Ext2GroupDescriptor.Read(raw));
    }

    [Fact]
    public void An_inode_is_128_bytes_with_i_block_at_40_and_the_size_high_word_at_108()
    {
        Assert.Equal(128, Ext2Inode.Size);
        Assert.Equal(40, Ext2Inode.BlockOffset);
        Assert.Equal(60, Ext2Inode.InlineBytes);
        Assert.Equal(108, Ext2Inode.SizeHighOffset);
        Assert.Equal(120, Ext2Inode.UidHighOffset);
        var raw = new byte[Ext2Inode.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, 0x81ED);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(Ext2Inode.SizeOffset), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(Ext2Inode.SizeHighOffset), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(Ext2Inode.UidHighOffset), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(Ext2Inode.BlockOffset + 14 * 4), 999);
        Ext2Inode inode = Ext2Inode.Read(raw, sizeHighIsSize: true);
        Assert.Equal(InodeType.Regular, inode.Type);
        Assert.Equal((1UL << 32) + 5, inode.FileSize);
        Assert.Equal(0x20000u, inode.Uid);
        Assert.Equal(999u, inode.Block[Ext2Inode.TripleIndirectSlot]);
        var written = new byte[Ext2Inode.Size];
        inode.Write(written);
        Assert.Equal(raw, written);
        Assert.Equal(5UL, Ext2Inode.Read(raw, sizeHighIsSize: false).FileSize);
    }

    [Fact]
    public void A_directory_entry_has_an_8_byte_header_and_4_byte_aligned_records()
    {
        Assert.Equal(8, Ext2DirectoryEntry.HeaderSize);
        Assert.Equal(4, Ext2DirectoryEntry.RecordLengthOffset);
        Assert.Equal(7, Ext2DirectoryEntry.FileTypeOffset);
        Assert.Equal(12, Ext2DirectoryEntry.RecordSizeFor(1));
        Assert.Equal(16, Ext2DirectoryEntry.RecordSizeFor(5));
        var entry = new Ext2DirectoryEntry(12, 16, 5, 1, "hello");
        var raw = new byte[16];
        entry.Write(raw);
        Assert.Equal(entry, Ext2DirectoryEntry.Read(raw));
    }

    [Fact]
    public void Feature_bits_have_the_values_and_names_e2fsprogs_uses()
    {
        Assert.Equal(0x20u, (uint)Ext2CompatFeatures.DirIndex);
        Assert.Equal(0x10u, (uint)Ext2CompatFeatures.ResizeInode);
        Assert.Equal(0x2u, (uint)Ext2IncompatFeatures.FileType);
        Assert.Equal(0x2u, (uint)Ext2RoCompatFeatures.LargeFile);
        Assert.Equal("extent", Ext2FeatureSupport.IncompatName(0x40));
        Assert.Equal("filetype FEATURE_I31", Ext2FeatureSupport.Names(0x80000002, Ext2FeatureSupport.IncompatName));
    }
}
