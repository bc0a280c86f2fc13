using Hardware.BlockLayer.Tests.Queue.Fakes;

namespace Hardware.BlockLayer.Tests.Core;

public class BlockDeviceValidationTests
{
    private static QueueHarness Disk(QueueLimits? limits = null) => new(limits, capacitySectors: 2048);

    private static void AssertRefused(QueueHarness h, BlockDevice device, Bio bio, Errno errno, params string[] mentions)
    {
        IoError? error = device.Submit(bio);
        Assert.NotNull(error);
        Assert.Equal(errno, error.Errno);
        Assert.Contains(device.Name + ":", error.Message);
        foreach (string text in mentions)
            Assert.Contains(text, error.Message);
        Assert.False(bio.Completion.IsCompleted); // Submit leaves a refused bio to its caller
        h.Simulation.Run();
        Assert.Empty(h.Driver.Issued);
        Assert.Equal(0, h.Queue.Statistics.BiosQueued);
    }

    [Fact]
    public void A_read_past_the_end_of_the_disk_fails_with_EIO_naming_the_sectors()
    {
        QueueHarness h = Disk();
        AssertRefused(h, h.Disk, h.Read(2044, 8), Errno.EIO, "sector 2044", "8 sectors", "2048 sectors");
    }

    [Fact]
    public void The_last_sectors_of_the_disk_can_be_read()
    {
        QueueHarness h = Disk();
        Bio bio = h.Submit(h.Read(2040, 8));
        h.RunUntilDone(bio);
        Assert.Equal(Errno.None, bio.Status);
    }

    [Fact]
    public void A_negative_sector_fails_with_EINVAL()
    {
        QueueHarness h = Disk();
        AssertRefused(h, h.Disk, h.Read(-8, 8), Errno.EINVAL, "negative sector -8");
    }

    [Theory]
    [InlineData(4, 8)]  // start inside a 4 KiB block
    [InlineData(8, 4)]  // length of half a block
    public void A_bio_not_aligned_to_the_logical_block_fails_with_EINVAL(long sector, int sectors)
    {
        QueueHarness h = Disk(new QueueLimits { LogicalBlockSize = 4096, PhysicalBlockSize = 4096 });
        AssertRefused(h, h.Disk, h.Read(sector, sectors), Errno.EINVAL, $"sector {sector}", "4096-byte logical block");
    }

    [Fact]
    public void A_segment_not_a_multiple_of_the_logical_block_fails_with_EINVAL()
    {
        QueueHarness h = Disk(new QueueLimits { LogicalBlockSize = 4096, PhysicalBlockSize = 4096 });
        Bio bio = h.Data(BioOp.Write, 0, 16, segmentBytes: 2048, contiguous: false);
        AssertRefused(h, h.Disk, bio, Errno.EINVAL, "segment of 2048 bytes");
    }

    [Fact]
    public void A_zero_length_read_fails_with_EINVAL()
    {
        QueueHarness h = Disk();
        var bio = new Bio(h.Simulation);
        bio.Reset(BioOp.Read, 16);
        AssertRefused(h, h.Disk, bio, Errno.EINVAL, "zero-length read at sector 16");
    }

    [Fact]
    public void Segments_that_do_not_add_up_to_the_sector_count_are_refused()
    {
        QueueHarness h = Disk();
        Bio bio = h.Write(0, 8);
        bio.SectorCount = 16;
        AssertRefused(h, h.Disk, bio, Errno.EINVAL, "16 sectors", "4096 bytes");
    }

    [Fact]
    public void A_flush_with_data_is_refused()
    {
        QueueHarness h = Disk();
        Bio bio = h.Flush();
        bio.AddSegment(new BioSegment(0x1000, 512));
        AssertRefused(h, h.Disk, bio, Errno.EINVAL, "flush carries no data");
    }

    [Theory]
    [InlineData(BioFlags.Fua)]
    [InlineData(BioFlags.Preflush)]
    public void Fua_and_preflush_on_a_read_are_refused(BioFlags flags)
    {
        QueueHarness h = Disk();
        AssertRefused(h, h.Disk, h.Read(0, 8, flags: flags), Errno.EINVAL, flags.ToString(), "read");
    }

    [Fact]
    public void Writes_and_discards_to_a_read_only_device_fail_with_EROFS_and_reads_still_work()
    {
        QueueHarness h = Disk(new QueueLimits { MaxDiscardSectors = 1024 });
        h.Disk.ReadOnly = true;
        AssertRefused(h, h.Disk, h.Write(0, 8), Errno.EROFS, "write of 8 sectors at sector 0", "read-only");
        AssertRefused(h, h.Disk, h.Discard(0, 8), Errno.EROFS, "discard");
        Bio read = h.Submit(h.Read(0, 8));
        Bio flush = h.Submit(h.Flush()); // an empty flush writes nothing
        h.RunUntilDone(read, flush);
        Assert.Equal(Errno.None, read.Status);
    }

    [Fact]
    public void A_disk_whose_driver_reports_read_only_starts_read_only()
    {
        QueueHarness h = Disk(new QueueLimits { ReadOnly = true });
        Assert.True(h.Disk.ReadOnly);
        AssertRefused(h, h.Disk, h.Write(0, 8), Errno.EROFS);
    }

    [Fact]
    public void A_discard_on_a_device_without_discard_fails_with_EOPNOTSUPP()
    {
        QueueHarness h = Disk();
        AssertRefused(h, h.Disk, h.Discard(0, 8), Errno.EOPNOTSUPP, "does not support discard");
    }

    [Fact]
    public void SubmitAndWait_completes_a_refused_bio_at_once_with_its_errno()
    {
        QueueHarness h = Disk();
        Bio bio = h.Read(4096, 8);
        Errno status = h.Run(async () => await h.Disk.SubmitAndWaitAsync(bio));
        Assert.Equal(Errno.EIO, status);
        Assert.Equal(Errno.EIO, bio.Status);
        Assert.Equal(0, h.Simulation.Now);
    }

    [Fact]
    public void A_disk_capacity_that_is_not_whole_logical_blocks_is_a_caller_bug()
    {
        var h = new QueueHarness(new QueueLimits { LogicalBlockSize = 4096, PhysicalBlockSize = 4096 });
        var queue = new RequestQueue(h.Simulation, new FakeBlockDriver(h.Simulation, h.Driver.Info.Limits), new FifoTestElevator());
        Assert.Throws<ArgumentException>(() => BlockDevice.CreateDisk("sdb", 8, 16, queue, 1001));
    }

    [Fact]
    public void A_disk_larger_than_its_driver_reports_is_a_caller_bug()
    {
        var h = new QueueHarness(capacitySectors: 4096);
        var queue = new RequestQueue(h.Simulation, new FakeBlockDriver(h.Simulation, capacitySectors: 4096), new FifoTestElevator());
        Assert.Throws<ArgumentException>(() => BlockDevice.CreateDisk("sdb", 8, 16, queue, 8192));
        Assert.Equal(4096, BlockDevice.CreateDisk("sdb", 8, 16, queue).CapacitySectors);
    }
}
