using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Ext2.Data;

/// <summary>
/// The superblock across a read-write mount as Linux ext2 keeps it (dumpe2fs as the oracle), errors reaching the
/// disk, and inode allocation that spreads directories and keeps the counts e2fsck expects.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Ext2SuperBlockStateTests
{
    private static void Tree(string tree)
    {
        System.IO.File.WriteAllBytes(Path.Combine(tree, "f"), Ext2WritableRig.Pattern(5000, 1));
        Directory.CreateDirectory(Path.Combine(tree, "d"));
    }

    [OracleFact("mke2fs", "e2fsck", "dumpe2fs")]
    public void A_read_write_mount_is_counted_and_not_clean_until_umount_leaves_it_clean()
    {
        using var rig = new Ext2WritableRig(16L << 20, 1024, Tree);
        string fresh = rig.SaveImage();
        Assert.Equal("clean", Ext2WritableRig.SuperField(fresh, "Filesystem state"));
        int mounts = int.Parse(Ext2WritableRig.SuperField(fresh, "Mount count"));

        rig.Mount();
        Ext2SuperBlock mounted = Ext2SuperBlock.Read(rig.ImageBytes(Ext2SuperBlock.ByteOffset, Ext2SuperBlock.Size));
        Assert.Equal(0, mounted.State & Ext2SuperBlock.StateValid);
        Assert.Equal(mounts + 1, mounted.MountCount);
        Assert.Equal(Ext2Volume.ToSeconds(rig.Dev.Vfs.RealTimeNs), mounted.MountTime);
        Assert.Empty(rig.Volume.Warnings);
        rig.Write("/mnt/f", Ext2WritableRig.Pattern(70_000, 2));
        rig.Umount();

        string image = rig.SaveImage();
        Ext2WritableRig.AssertFsckClean(image);
        Assert.Equal("clean", Ext2WritableRig.SuperField(image, "Filesystem state"));
        Assert.Equal((mounts + 1).ToString(), Ext2WritableRig.SuperField(image, "Mount count"));
        // The backup in group 1 carries the same counts (e2fsck -fn would not notice a stale backup).
        Ext2SuperBlock primary = Ext2SuperBlock.Read(rig.ImageBytes(Ext2SuperBlock.ByteOffset, Ext2SuperBlock.Size));
        Ext2SuperBlock backup = Ext2SuperBlock.Read(rig.ImageBytes((primary.FirstDataBlock + primary.BlocksPerGroup) * 1024L, Ext2SuperBlock.Size));
        Assert.Equal(1, backup.BlockGroupNumber);
        Assert.Equal(primary.FreeBlocksCount, backup.FreeBlocksCount);
        Assert.Equal(primary.MountCount, backup.MountCount);
    }

    [OracleFact("mke2fs", "dumpe2fs")]
    public void An_error_found_on_a_read_write_mount_reaches_the_superblock_and_survives_umount()
    {
        using var rig = new Ext2WritableRig(8L << 20, 1024, tree =>
            System.IO.File.WriteAllBytes(Path.Combine(tree, "big"), Ext2WritableRig.Pattern(40 << 10, 3)));
        rig.Mount();
        Inode big = rig.InodeOf("/mnt/big");
        // A pointer past the volume inside the indirect block: reading the file reports EUCLEAN.
        ((Ext2InodeData)big.Private!).Record.Block[Ext2Inode.IndirectSlot] = 7_000_000;
        int fd = rig.Dev.Open("/mnt/big", OpenFlags.ReadOnly);
        Fails(Errno.EUCLEAN, rig.Sys.Pread(rig.Root, fd, new byte[4096], 20 << 10));
        rig.Dev.Close(fd);
        Assert.NotEmpty(rig.Volume.Errors);
        // Put the pointer back so umount writes a sound inode; the error state stays.
        ((Ext2InodeData)big.Private!).Record.Block[Ext2Inode.IndirectSlot] = 0;
        rig.Umount();

        string image = rig.SaveImage();
        Assert.Equal("clean with errors", Ext2WritableRig.SuperField(image, "Filesystem state"));
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void A_volume_marked_with_errors_still_mounts_read_write_with_a_warning()
    {
        using var rig = new Ext2WritableRig(4L << 20, 1024, Tree);
        rig.EditSuperBlock(sb => sb.State = Ext2SuperBlock.StateValid | Ext2SuperBlock.StateErrors);
        rig.Mount();
        Assert.Contains(rig.Volume.Warnings, warning => warning.Contains("errors", StringComparison.Ordinal));
        rig.Umount();
        Ext2SuperBlock after = Ext2SuperBlock.Read(rig.ImageBytes(Ext2SuperBlock.ByteOffset, Ext2SuperBlock.Size));
        Assert.Equal(Ext2SuperBlock.StateValid | Ext2SuperBlock.StateErrors, after.State);
    }

    [OracleFact("mke2fs", "e2fsck")]
    public void Top_level_directories_spread_over_groups_and_freed_inodes_leave_e2fsck_clean()
    {
        using var rig = new Ext2WritableRig(32L << 20, 1024, Tree);
        rig.Mount();
        Ext2Volume volume = rig.Volume;
        var directories = new List<uint>();
        for (int i = 0; i < 3; i++)
        {
            (uint number, Errno error) = rig.Run(() => volume.AllocateInodeAsync(Ext2Volume.RootInode, InodeType.Directory));
            Assert.Equal(Errno.None, error);
            directories.Add(number);
        }
        var groups = directories.Select(n => (n - 1) / volume.Record.InodesPerGroup).ToList();
        // Group 0 already holds the root, lost+found and d: the new ones go elsewhere, not all to one group.
        Assert.DoesNotContain(0u, groups);
        Assert.True(groups.Distinct().Count() >= 2, $"directories in groups {string.Join(",", groups)}");
        (uint file, Errno fileError) = rig.Run(() => volume.AllocateInodeAsync(directories[1], InodeType.Regular));
        Assert.Equal(Errno.None, fileError);
        Assert.Equal(groups[1], (file - 1) / volume.Record.InodesPerGroup);
        int usedDirs = volume.Groups.Sum(g => g.UsedDirsCount);

        Assert.Equal(Errno.None, rig.Run(() => volume.FreeInodeAsync(file, InodeType.Regular)));
        foreach (uint number in directories)
            Assert.Equal(Errno.None, rig.Run(() => volume.FreeInodeAsync(number, InodeType.Directory)));
        Assert.Equal(usedDirs - 3, volume.Groups.Sum(g => g.UsedDirsCount));
        Assert.Equal(Errno.EUCLEAN, rig.Run(() => volume.FreeInodeAsync(file, InodeType.Regular)));
        rig.Umount();
        Ext2WritableRig.AssertFsckClean(rig.SaveImage());
    }
}
