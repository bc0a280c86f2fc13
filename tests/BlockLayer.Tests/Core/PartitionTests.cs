using Hardware.BlockLayer.Tests.Queue.Fakes;

namespace Hardware.BlockLayer.Tests.Core;

public class PartitionTests
{
    [Fact]
    public void Partitions_are_named_and_numbered_like_Linux()
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 10_000);
        BlockDevice sda5 = h.Disk.AddPartition(5, 20_000, 1000);
        Assert.Equal(("sda1", 8u, 1u, 8u << 20 | 1u), (sda1.Name, sda1.Major, sda1.Minor, sda1.DeviceNumber));
        Assert.Equal("sda5", sda5.Name);
        Assert.Same(h.Disk, sda1.Disk);
        Assert.Same(h.Disk, h.Disk.Disk);
        Assert.Same(h.Queue, sda1.Queue);
        Assert.Equal([sda1, sda5], h.Disk.Partitions);
        Assert.True(sda1.IsPartition);

        var nvme = new QueueHarness();
        var queue = new RequestQueue(nvme.Simulation, new FakeBlockDriver(nvme.Simulation), new FifoTestElevator());
        BlockDevice disk = BlockDevice.CreateDisk("nvme0n1", 259, 0, queue);
        Assert.Equal("nvme0n1p2", disk.AddPartition(2, 2048, 2048).Name);
    }

    [Fact]
    public void A_partition_bio_reaches_the_device_at_the_partition_offset_and_keeps_its_own_sector()
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        BlockDevice sda2 = h.Disk.AddPartition(2, 40_960, 8192);
        Bio bio = h.Submit(h.Write(100, 8), sda2);
        h.RunUntilDone(bio);
        Assert.Equal(41_060, h.Driver.Issued.Single().Sector);
        Assert.Equal(100, bio.Sector);
        Assert.Equal(41_060, h.Tracer.Events[0].Sector); // traced in disk sectors, on the disk's device number
        Assert.Equal(h.Disk.DeviceNumber, h.Tracer.Events[0].Device);
    }

    [Fact]
    public void A_bio_past_the_end_of_a_partition_fails_even_though_it_is_inside_the_disk()
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 4096);
        IoError? error = sda1.Submit(h.Read(4092, 8));
        Assert.Equal(Errno.EIO, error?.Errno);
        Assert.Contains("sda1:", error!.Message);
        Assert.Contains("4096 sectors", error.Message);
    }

    [Theory]
    [InlineData(3, 99_000, 2000, Errno.EINVAL, "does not fit")]
    [InlineData(3, -1, 10, Errno.EINVAL, "does not fit")]
    [InlineData(3, 4000, 0, Errno.EINVAL, "does not fit")]
    [InlineData(0, 50_000, 10, Errno.EINVAL, "number 0")]
    [InlineData(1, 50_000, 10, Errno.EBUSY, "exists already (sda1)")]
    [InlineData(3, 6000, 100, Errno.EBUSY, "overlaps sda1 (sectors 2048-6143)")]
    [InlineData(3, 1000, 1049, Errno.EBUSY, "overlaps sda1")]
    public void A_partition_that_does_not_fit_or_overlaps_is_refused_as_an_error_value(int number, long start, long count, Errno errno, string mention)
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        h.Disk.AddPartition(1, 2048, 4096);
        IoError? error = h.Disk.TryAddPartition(number, start, count, out BlockDevice? partition);
        Assert.Null(partition);
        Assert.Equal(errno, error?.Errno);
        Assert.Contains(mention, error!.Message);
        Assert.Single(h.Disk.Partitions);
        Assert.Throws<ArgumentException>(() => h.Disk.AddPartition(number, start, count));
    }

    [Fact]
    public void Adjacent_partitions_can_touch_but_partitions_of_partitions_are_refused()
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 4096);
        Assert.Null(h.Disk.TryAddPartition(2, 6144, 4096, out _));
        Assert.Equal(Errno.EINVAL, sda1.TryAddPartition(1, 0, 8, out _)?.Errno);
    }

    [Fact]
    public void Bios_of_adjacent_partitions_never_merge()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 1 }, capacitySectors: 100_000);
        h.Driver.LatencyNs = 1_000_000;
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 4096);
        BlockDevice sda2 = h.Disk.AddPartition(2, 6144, 4096);
        h.Submit(h.Read(50_000, 8)); // keeps the device busy
        Bio end = h.Submit(h.Write(4088, 8), sda1);
        Bio start = h.Submit(h.Write(0, 8), sda2);
        Assert.Equal(2, h.Queue.HeldCount);
        h.RunUntilDone(end, start);
        Assert.Equal(1, sda1.Stats.WriteIos);
        Assert.Equal(1, sda2.Stats.WriteIos);
    }

    [Fact]
    public void A_read_only_disk_makes_its_partitions_read_only_but_not_the_other_way_round()
    {
        var h = new QueueHarness(capacitySectors: 100_000);
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 4096);
        sda1.ReadOnly = true;
        Assert.False(h.Disk.ReadOnly);
        Assert.Equal(Errno.EROFS, sda1.Submit(h.Write(0, 8))?.Errno);
        Assert.Null(h.Disk.Submit(h.Write(2048, 8)));
        sda1.ReadOnly = false;
        h.Disk.ReadOnly = true;
        Assert.True(sda1.ReadOnly);
        Assert.Equal(Errno.EROFS, sda1.Submit(h.Write(0, 8))?.Errno);
    }
}
