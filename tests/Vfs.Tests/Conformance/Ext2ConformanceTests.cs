using Hardware.BlockLayer;
using Hardware.BlockLayer.Tests;
using Hardware.Vfs.Ext2;
using Hardware.Vfs.Ext2.Mkfs;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;
using Hardware.Vfs.Tests.Core;
using Hardware.Vfs.Tests.Ext2.Interop;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Conformance;

/// <summary>
/// The POSIX conformance suite on ext2: every mount is a fresh filesystem made by our own mkfs on a partition of its
/// own (/dev/sdaN) of the emulated disk.
/// </summary>
public sealed class Ext2ConformanceTests : FileSystemConformanceTests
{
    private const long DefaultBytes = 8L << 20;

    /// <summary>1 KiB blocks, nothing reserved for root, few inodes: the free blocks are what a capacity promises.</summary>
    private static readonly Ext2MkfsOptions Sized = new() { BlockSize = 1024, ReservedPercent = 0, InodeCount = 16, Seed = 5 };

    private static readonly Ext2MkfsOptions Default = new() { BlockSize = 1024, Seed = 5 };

    private protected override VfsRig CreateRig() => new(new CacheRig()) { Unmounted = CheckEveryPartition };

    /// <summary>After the case, with everything unmounted: e2fsck -fn finds nothing to fix on any partition it used.</summary>
    private static void CheckEveryPartition(CacheRig machine)
    {
        if (OracleTools.SkipReason(["e2fsck"]) is not null)
            return;
        string work = Directory.CreateTempSubdirectory("ext2conf-").FullName;
        try
        {
            foreach (BlockDevice partition in machine.Disk.Partitions)
            {
                var bytes = new byte[partition.CapacityBytes];
                machine.Store.Read(partition.StartSector * Bio.SectorSize, bytes);
                string image = Path.Combine(work, partition.Name);
                System.IO.File.WriteAllBytes(image, bytes);
                (int exit, string output) = HostTools.Run("e2fsck", "-fn", image);
                Assert.True(exit == 0, $"e2fsck -fn on {partition.Name} exited {exit}:\n{output}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>lost+found, which mkfs makes as mke2fs does.</summary>
    private protected override int FreshRootSubdirectories => 1;

    /// <summary>
    /// Without a capacity an 8 MiB filesystem; with one, the smallest volume whose free blocks hold
    /// <paramref name="capacityBytes"/> (data and the indirect blocks it needs both count against it).
    /// </summary>
    private protected override VfsResult MountUnderTest(VfsRig rig, string target, MountFlags flags, long capacityBytes)
    {
        (long bytes, Ext2MkfsOptions options) = capacityBytes == 0 ? (DefaultBytes, Default) : (SizeFor(capacityBytes), Sized);
        BlockDevice partition = rig.AddPartition(bytes);
        VfsResult<Ext2Layout> made = rig.Run(async () => await Ext2Mkfs.FormatAsync(partition, options, rig.Cache, processId: 1));
        if (!made.Ok)
            return made.Status;
        return rig.Sys.Mount(rig.Root, $"/dev/{partition.Name}", target, "ext2", flags);
    }

    [Fact]
    public void Every_mount_under_test_is_a_fresh_ext2_on_a_partition_of_its_own()
    {
        Ok(Sys.Mkdir(Root, "/mnt/small"));
        Ok(MountUnderTest(Rig, "/mnt/small", MountFlags.None, capacityBytes: 64 * 1024));
        StatFs outer = Ok(Sys.StatFs(Root, "/mnt"));
        StatFs small = Ok(Sys.StatFs(Root, "/mnt/small"));
        Assert.Equal((Ext2Volume.StatFsMagic, Ext2Volume.StatFsMagic), (outer.Type, small.Type));
        Assert.Equal(("sda1", "sda2"), (Ok(Sys.Stat(Root, "/mnt")).Device, Ok(Sys.Stat(Root, "/mnt/small")).Device));
        Assert.Equal(0, small.FreeBlocks - small.AvailableBlocks);
        Assert.InRange(small.FreeBlocks * small.BlockSize, 64 * 1024, 64 * 1024 + 4096);
        int fd = Rig.Open(Root, "/mnt/small", OpenFlags.Directory);
        Assert.Equal([".", "..", "lost+found"], Ok(Sys.GetDirectoryEntries(Root, fd, 10)).Select(e => e.Name).Order(StringComparer.Ordinal));
        Ok(Sys.Close(Root, fd));
        Ok(Sys.Umount(Root, "/mnt/small"));
    }

    private static long SizeFor(long capacityBytes)
    {
        for (long bytes = 4096; bytes <= 64L << 20; bytes += 4096)
        {
            VfsResult<Ext2Layout> plan = Ext2Mkfs.Plan(bytes, Sized);
            if (plan.Ok && plan.Value.FreeBlocksCount * plan.Value.BlockSize >= capacityBytes)
                return bytes;
        }
        throw new InvalidOperationException($"no ext2 volume up to 64 MiB holds {capacityBytes} bytes");
    }
}
