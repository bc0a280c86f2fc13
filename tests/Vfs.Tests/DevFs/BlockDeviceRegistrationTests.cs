using System.Diagnostics;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.BlockLayer.Partitions;
using Hardware.Vfs.Syscalls;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.DevFs;

/// <summary>Block nodes appear in /dev as disks and partitions are registered with the VFS after boot.</summary>
public sealed class BlockDeviceRegistrationTests
{
    [Fact]
    public void A_disk_registered_after_boot_appears_in_dev_even_after_a_failed_lookup()
    {
        using var rig = new DevFsRig(registerDisks: false);
        Fails(Errno.ENOENT, rig.Sys.Stat(rig.Root, "/dev/sda"));
        rig.Vfs.RegisterBlockDevice(rig.Disk);
        Assert.Equal(Inode.MakeDevice(8, 0), Ok(rig.Sys.Stat(rig.Root, "/dev/sda")).DeviceNumber);
    }

    [Hardware.BlockLayer.Tests.OracleFact("sfdisk")]
    public void An_sfdisk_partition_table_written_through_dev_sda_gives_sda1_whose_writes_land_at_its_start()
    {
        using var rig = new DevFsRig();
        byte[] mbr = SfdiskMbr("label: dos\nstart=2048, size=20480, type=83\n");
        int disk = rig.Open("/dev/sda", OpenFlags.ReadWrite);
        rig.Pwrite(disk, mbr, 0);
        Ok(rig.Sys.Fsync(rig.Root, disk));
        rig.Close(disk);

        PartitionScanResult scan = rig.Machine.Run(() => PartitionTableReader.ScanAsync(new BlockDeviceSectorReader(rig.Disk, rig.Machine.Machine.Platform), "sda").AsTask());
        Assert.Null(scan.Error);
        PartitionInfo partition = Assert.Single(scan.Partitions);
        Assert.Null(rig.Disk.TryAddPartition(partition.Number, partition.StartSector, partition.SectorCount, out BlockDevice? sda1));
        rig.Vfs.RegisterBlockDevice(sda1!);

        FileStatus status = Ok(rig.Sys.Stat(rig.Root, "/dev/sda1"));
        Assert.Equal((InodeType.BlockDevice, Inode.MakeDevice(8, 1), 20480L * 512), (status.Type, status.DeviceNumber, status.Size));
        byte[] data = DevFsRig.Pattern(4096, salt: 1);
        int fd = rig.Open("/dev/sda1", OpenFlags.ReadWrite);
        rig.Pwrite(fd, data, 0);
        Fails(Errno.ENOSPC, rig.Sys.Pwrite(rig.Root, fd, data, 20480L * 512));
        Ok(rig.Sys.Fsync(rig.Root, fd));
        rig.Close(fd);
        Assert.Equal(data, rig.Machine.ReadDisk(2048L * 512, data.Length));
    }

    /// <summary>The first sector sfdisk writes for <paramref name="script"/> on a 16 MiB image.</summary>
    private static byte[] SfdiskMbr(string script)
    {
        string image = Path.Combine(Path.GetTempPath(), $"devfs-sfdisk-{Environment.ProcessId}-{Guid.NewGuid():N}.img");
        try
        {
            using (FileStream file = System.IO.File.Create(image))
                file.SetLength(16L << 20);
            var start = new ProcessStartInfo("sfdisk", ["--no-reread", "--no-tell-kernel", image])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using System.Diagnostics.Process sfdisk = System.Diagnostics.Process.Start(start)!;
            sfdisk.StandardInput.Write(script);
            sfdisk.StandardInput.Close();
            string output = sfdisk.StandardOutput.ReadToEnd() + sfdisk.StandardError.ReadToEnd();
            sfdisk.WaitForExit();
            Assert.True(sfdisk.ExitCode == 0, output);
            var sector = new byte[512];
            using FileStream read = System.IO.File.OpenRead(image);
            read.ReadExactly(sector);
            return sector;
        }
        finally
        {
            System.IO.File.Delete(image);
        }
    }
}
