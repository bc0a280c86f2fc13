using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Syscalls;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2;

/// <summary>Damaged or foreign images give an errno and a message naming the problem - never an exception or a read off the device.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2CorruptionTests
{
    private static ImageEditor SmallImage(int blockSize = 1024)
    {
        string work = Path.Combine(Path.GetTempPath(), $"hwstack-ext2-{Guid.NewGuid():N}");
        string tree = Path.Combine(work, "tree");
        Directory.CreateDirectory(tree);
        try
        {
            System.IO.File.WriteAllBytes(Path.Combine(tree, "data"), SourceTree.Pattern(3000, 1));
            Directory.CreateDirectory(Path.Combine(tree, "sub"));
            return new ImageEditor(Ext2ImageRig.MakeImage(work, tree, 4L << 20, "-b", $"{blockSize}"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [OracleFact("mke2fs")]
    public void An_image_with_an_unknown_incompat_feature_is_refused_with_the_feature_named()
    {
        ImageEditor image = SmallImage();
        image.SetSuperBlock(sb => sb.FeatureIncompat |= (Ext2IncompatFeatures)0x40);
        using var rig = new Ext2ImageRig(image.Image);
        VfsResult result = rig.Mount();
        Fails(Errno.EINVAL, result);
        Assert.Contains("extent", result.Message);
    }

    [OracleFact("mke2fs")]
    public void An_image_with_an_unknown_ro_compat_feature_mounts_only_read_only()
    {
        ImageEditor image = SmallImage();
        image.SetSuperBlock(sb => sb.FeatureRoCompat |= (Ext2RoCompatFeatures)0x400);
        using var rig = new Ext2ImageRig(image.Image);
        VfsResult refused = rig.Mount(MountFlags.None);
        Fails(Errno.EROFS, refused);
        Assert.Contains("metadata_csum", refused.Message);
        Ok(rig.Mount(MountFlags.ReadOnly));
        Assert.Equal(3000, Ok(rig.Dev.Sys.Stat(rig.Dev.Root, "/mnt/data")).Size);
    }

    [OracleFact("mke2fs")]
    public void A_disk_without_the_ext2_magic_is_refused_with_einval()
    {
        ImageEditor image = SmallImage();
        image.SetSuperBlock(sb => sb.Magic = 0x1234);
        using var rig = new Ext2ImageRig(image.Image);
        VfsResult result = rig.Mount();
        Fails(Errno.EINVAL, result);
        Assert.Contains("magic", result.Message);
    }

    [OracleFact("mke2fs")]
    public void A_directory_entry_with_a_bad_rec_len_gives_euclean_on_lookup_naming_the_path_directory_and_block()
    {
        ImageEditor image = SmallImage();
        uint block = image.SetFirstRecordLength(Ext2Volume.RootInode, 5);
        using var rig = new Ext2ImageRig(image.Image);
        Ok(rig.Mount());
        VfsResult<FileStatus> result = rig.Dev.Sys.Stat(rig.Dev.Root, "/mnt/data");
        Fails(Errno.EUCLEAN, result);
        Assert.Contains("/mnt/data", result.Message);
        Assert.Contains($"directory inode 2 block {block}", result.Message);
        Assert.Contains("rec_len 5", result.Message);
    }

    [OracleFact("mke2fs")]
    public void A_block_pointer_past_the_volume_gives_euclean_on_read_and_no_read_off_the_device()
    {
        ImageEditor image = SmallImage(4096);
        using var probe = new Ext2ImageRig(image.Image);
        Ok(probe.Mount());
        uint number = (uint)Ok(probe.Dev.Sys.Stat(probe.Dev.Root, "/mnt/data")).InodeNumber;
        image.SetBlockPointer(number, 0, 0x7FFF_FFF0);
        using var rig = new Ext2ImageRig(image.Image);
        Ok(rig.Mount());
        int fd = rig.Dev.Open("/mnt/data", OpenFlags.ReadOnly);
        VfsResult<int> read = rig.Dev.Sys.Pread(rig.Dev.Root, fd, new byte[100], 0);
        rig.Dev.Close(fd);
        Fails(Errno.EUCLEAN, read);
        Assert.Contains("/mnt/data", read.Message);
        Assert.Contains($"inode {number}", read.Message);
        var volume = (Ext2Volume)rig.Dev.Vfs.FileSystems.Find("ext2")!.SuperBlocks[0].FileSystemInfo!;
        Assert.Contains(volume.Errors, e => e.Contains($"inode {number}") && e.Contains("block 2147483632"));
    }

    [OracleFact("mke2fs")]
    public void A_file_whose_i_size_is_past_the_largest_file_gives_euclean_on_lookup_and_its_neighbours_still_read()
    {
        ImageEditor image = SmallImage();
        using var probe = new Ext2ImageRig(image.Image);
        Ok(probe.Mount());
        uint number = (uint)Ok(probe.Dev.Sys.Stat(probe.Dev.Root, "/mnt/data")).InodeNumber;
        int offset = image.InodeOffset(number);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(offset + Ext2Inode.SizeHighOffset), 0x7FFF_FFFF);
        using var rig = new Ext2ImageRig(image.Image);
        Ok(rig.Mount());
        VfsResult<FileStatus> result = rig.Dev.Sys.Stat(rig.Dev.Root, "/mnt/data");
        Fails(Errno.EUCLEAN, result);
        Assert.Contains($"inode {number}: i_size", result.Message);
        Ok(rig.Dev.Sys.Stat(rig.Dev.Root, "/mnt"));
    }

    [OracleFact("mke2fs")]
    public void A_directory_entry_whose_name_holds_a_slash_gives_euclean_naming_the_block()
    {
        ImageEditor image = SmallImage();
        using (var probe = new Ext2ImageRig(image.Image))
        {
            Ok(probe.Mount());
        }
        uint block = image.Inode(Ext2Volume.RootInode).Block[0];
        int at = (int)(block * (long)image.BlockSize);
        // Find the record named "data" in the root's first block and put a '/' in its name.
        for (int offset = 0; offset < image.BlockSize;)
        {
            (uint inode, ushort length, byte nameLength, _) = Ext2DirectoryEntry.ReadHeader(image.Image.AsSpan(at + offset));
            if (inode != 0 && nameLength == 4 && System.Text.Encoding.ASCII.GetString(image.Image, at + offset + Ext2DirectoryEntry.NameOffset, 4) == "data")
            {
                image.Image[at + offset + Ext2DirectoryEntry.NameOffset + 1] = (byte)'/';
                break;
            }
            offset += length;
        }
        using var rig = new Ext2ImageRig(image.Image);
        Ok(rig.Mount());
        VfsResult<FileStatus> result = rig.Dev.Sys.Stat(rig.Dev.Root, "/mnt/data");
        Fails(Errno.EUCLEAN, result);
        Assert.Contains($"block {block}", result.Message);
        Assert.Contains("'/' or NUL", result.Message);
    }

    [OracleFact("mke2fs")]
    public void A_group_descriptor_whose_inode_table_lies_past_the_volume_is_refused()
    {
        ImageEditor image = SmallImage();
        int offset = (int)((image.SuperBlock.FirstDataBlock + 1) * (long)image.BlockSize) + Ext2GroupDescriptor.InodeTableOffset;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(image.Image.AsSpan(offset), 0x00FF_FFFF);
        using var rig = new Ext2ImageRig(image.Image);
        VfsResult result = rig.Mount();
        Fails(Errno.EUCLEAN, result);
        Assert.Contains("group descriptor 0", result.Message);
    }
}
