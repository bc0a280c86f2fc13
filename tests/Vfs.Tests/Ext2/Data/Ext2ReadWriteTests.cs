using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>
/// ext2 mounted read-write on an mke2fs-made image: overwrites, extensions into the indirect trees, truncation and
/// sparse files are checked by e2fsck -fn and read back by debugfs after umount.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2ReadWriteTests
{
    private static void SmallTree(string tree)
    {
        System.IO.File.WriteAllBytes(Path.Combine(tree, "f"), Ext2WritableRig.Pattern(5000, 1));
        System.IO.File.WriteAllBytes(Path.Combine(tree, "g"), []);
        System.IO.File.WriteAllBytes(Path.Combine(tree, "h"), []);
    }

    [OracleTheory("mke2fs", "e2fsck", "debugfs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void A_file_overwritten_and_extended_into_double_indirect_blocks_reads_back_in_debugfs_and_e2fsck_is_clean(int blockSize)
    {
        using var rig = new Ext2WritableRig(8L << 20, blockSize, SmallTree);
        rig.Mount();
        // Past 12 direct blocks and the indirect block's reach: 1 KiB blocks need 268 blocks, 4 KiB ones 1036.
        int length = blockSize == 1024 ? 400 << 10 : (1036 + 20) * 4096;
        byte[] data = Ext2WritableRig.Pattern(length, 7);
        rig.Write("/mnt/f", data);
        byte[] head = Ext2WritableRig.Pattern(3000, 9);
        rig.Write("/mnt/f", head, 1000);
        head.CopyTo(data, 1000);
        Ok(rig.Sys.Sync(rig.Root));
        Assert.Equal(data, rig.Read("/mnt/f", 0, data.Length));
        Inode inode = rig.InodeOf("/mnt/f");
        Assert.Equal(1, Ok(rig.Run(() => rig.Volume.CountDataRunsAsync(inode))));
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        byte[] back = Ext2WritableRig.DebugfsCat(image, "/f");
        int diff = 0;
        while (diff < Math.Min(back.Length, data.Length) && back[diff] == data[diff]) diff++;
        Assert.True(diff == data.Length && back.Length == data.Length, $"differs at {diff} of {data.Length} (got {back.Length}) {Ext2WritableRig.Tool("debugfs", "-R", "stat /f", image).Output}");
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs", "dumpe2fs")]
    public void Truncating_down_frees_the_indirect_blocks_and_truncating_up_leaves_a_hole_of_zeros()
    {
        using var rig = new Ext2WritableRig(8L << 20, 1024, SmallTree);
        rig.Mount();
        byte[] data = Ext2WritableRig.Pattern(300 << 10, 3);
        rig.Write("/mnt/g", data);
        Ok(rig.Sys.Sync(rig.Root));
        long freeBefore = Ok(rig.Sys.StatFs(rig.Root, "/mnt")).FreeBlocks;
        Inode inode = rig.InodeOf("/mnt/g");
        // 300 data blocks, the indirect block, the double indirect block and one block under it.
        Assert.Equal(303 * 2, inode.Blocks);

        Assert.Equal(Errno.None, rig.Run(() => rig.Volume.SetSizeAsync(inode, 4500)));
        Ok(rig.Sys.Sync(rig.Root));
        Assert.Equal(5 * 2, inode.Blocks);
        Assert.Equal(freeBefore + 298, Ok(rig.Sys.StatFs(rig.Root, "/mnt")).FreeBlocks);

        Assert.Equal(Errno.None, rig.Run(() => rig.Volume.SetSizeAsync(inode, 1 << 20)));
        Assert.Equal(5 * 2, inode.Blocks);
        var expected = new byte[1 << 20];
        data.AsSpan(0, 4500).CopyTo(expected);
        Assert.Equal(expected, rig.Read("/mnt/g", 0, expected.Length));
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        Assert.Equal(expected, Ext2WritableRig.DebugfsCat(image, "/g"));
        Assert.Equal((freeBefore + 298).ToString(), Ext2WritableRig.SuperField(image, "Free blocks"));
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs", "dumpe2fs")]
    public void A_sparse_file_past_4_GiB_sets_large_file_and_keeps_its_holes()
    {
        using var rig = new Ext2WritableRig(8L << 20, 4096, SmallTree);
        // mke2fs always sets large_file now; the kernel sets it on the first file past 2 GiB, and so must we.
        rig.EditSuperBlock(sb => sb.FeatureRoCompat &= ~Ext2RoCompatFeatures.LargeFile);
        Assert.DoesNotContain("large_file", Ext2WritableRig.SuperField(rig.SaveImage(), "Filesystem features"));
        rig.Mount();
        byte[] head = Ext2WritableRig.Pattern(100, 4);
        byte[] far = Ext2WritableRig.Pattern(6000, 5);
        long farOffset = (5L << 30) + 123;
        rig.Write("/mnt/h", head);
        rig.Write("/mnt/h", far, farOffset);
        Ok(rig.Sys.Sync(rig.Root));
        Inode inode = rig.InodeOf("/mnt/h");
        Assert.Equal(farOffset + far.Length, inode.Size);
        // One data block at 0, two far away, and the triple indirect chain above them (3 blocks).
        Assert.Equal(6 * 8, inode.Blocks);
        Assert.Equal(new byte[4096], rig.Read("/mnt/h", 3L << 30, 4096));
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        Assert.Contains("large_file", Ext2WritableRig.SuperField(image, "Filesystem features"));
        (int exit, string stat, _) = Ext2WritableRig.Tool("debugfs", "-R", "stat /h", image);
        Assert.Equal(0, exit);
        Assert.Contains($"Size: {farOffset + far.Length}", stat);
        rig.Mount(MountFlags.ReadOnly);
        Assert.Equal(far, rig.Read("/mnt/h", farOffset, far.Length));
        Assert.Equal(head, rig.Read("/mnt/h", 0, head.Length));
    }

    [OracleFact("mke2fs", "e2fsck", "debugfs", "dumpe2fs")]
    public void Writes_to_a_full_volume_get_enospc_from_write_and_leave_e2fsck_clean()
    {
        using var rig = new Ext2WritableRig(2L << 20, 1024, tree =>
        {
            SmallTree(tree);
            // Owned by a user: the reserved blocks (s_r_blocks_count) stay out of its reach.
            System.IO.File.WriteAllBytes(Path.Combine(tree, "user"), []);
            Assert.Equal(0, Ext2WritableRig.Tool("chown", "1000:1000", Path.Combine(tree, "user")).Exit);
        });
        rig.Mount();
        int fd = rig.Dev.Open("/mnt/user", OpenFlags.WriteOnly);
        long written = 0;
        byte[] chunk = Ext2WritableRig.Pattern(64 << 10, 6);
        while (true)
        {
            VfsResult<int> result = rig.Sys.Pwrite(rig.Root, fd, chunk, written);
            if (!result.Ok)
            {
                Assert.Equal(Errno.ENOSPC, result.Errno);
                break;
            }
            written += result.Value;
            Assert.True(written < 4L << 20, "the writes never ran out of space");
        }
        rig.Dev.Close(fd);
        Ok(rig.Sys.Sync(rig.Root));
        // A write charges the indirect blocks its blocks might need; writeback gives back what was not needed.
        StatFs statFs = Ok(rig.Sys.StatFs(rig.Root, "/mnt"));
        long reserved = rig.Volume.Record.ReservedBlocksCount;
        Assert.InRange(statFs.AvailableBlocks, 0, 8);
        Assert.Equal(reserved + statFs.AvailableBlocks, statFs.FreeBlocks);
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        byte[] back = Ext2WritableRig.DebugfsCat(image, "/user");
        Assert.Equal(written, back.Length);
        for (long at = 0; at < written; at += chunk.Length)
            Assert.True(back.AsSpan((int)at, (int)Math.Min(chunk.Length, written - at)).SequenceEqual(chunk.AsSpan(0, (int)Math.Min(chunk.Length, written - at))), $"bytes at {at} differ");
        Assert.Equal(statFs.FreeBlocks.ToString(), Ext2WritableRig.SuperField(image, "Free blocks"));
        Assert.Equal(reserved.ToString(), Ext2WritableRig.SuperField(image, "Reserved block count"));
    }

    [OracleTheory("mke2fs", "e2fsck", "debugfs")]
    [InlineData(1024)]
    [InlineData(4096)]
    public void A_freed_indirect_block_reused_for_data_is_not_overwritten_by_its_stale_buffer(int blockSize)
    {
        using var rig = new Ext2WritableRig(4L << 20, blockSize, SmallTree);
        rig.Mount();
        rig.Write("/mnt/g", Ext2WritableRig.Pattern(20 * blockSize, 2));
        Ok(rig.Sys.Sync(rig.Root));
        Inode g = rig.InodeOf("/mnt/g");
        var record = ((Ext2InodeData)g.Private!).Record;
        uint indirect = record.Block[Ext2Inode.IndirectSlot];
        Assert.NotEqual(0u, indirect);
        // The indirect block is changed (dirty in the buffer cache), then freed before any sync.
        Assert.Equal(Errno.None, rig.Run(() => rig.Volume.SetSizeAsync(g, 14L * blockSize)));
        Assert.Equal(Errno.None, rig.Run(() => rig.Volume.SetSizeAsync(g, 12L * blockSize)));
        Assert.Equal(0u, record.Block[Ext2Inode.IndirectSlot]);
        // h's first blocks come from the start of the group's free space: the old indirect block among them.
        byte[] data = Ext2WritableRig.Pattern(8 * blockSize, 8);
        rig.Write("/mnt/h", data);
        Ok(rig.Sys.Sync(rig.Root));
        Inode h = rig.InodeOf("/mnt/h");
        var blocks = new List<uint>();
        for (long i = 0; i < 8; i++)
            blocks.Add(rig.Run(() => rig.Volume.GetBlockAsync((Ext2InodeData)h.Private!, i, create: false)).Block);
        Assert.Contains(indirect, blocks);
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        Assert.Equal(data, Ext2WritableRig.DebugfsCat(image, "/h"));
    }
}
