using Hardware.BlockLayer.Stats;
using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Core;

public class DiskStatsTests
{
    private const long Ms = SimTime.Millisecond;

    /// <summary>
    /// A known workload, every request taking 2 ms at the device (write cache, no FUA, discard):
    ///  0 ms  plugged: sda1 writes 0+8, 8+8, 16+8 (one request, two merges) and sda read 50000+8; sda1 read 100+16
    ///  2 ms  all three done; the process sleeps 1 ms
    ///  3 ms  empty flush on sda: a device flush, 3-5 ms
    ///  5 ms  discard of 1000 sectors on sda, 5-7 ms
    ///  7 ms  FUA write sda1 200+8: data 7-9 ms, then a post-flush 9-11 ms
    /// </summary>
    private static (QueueHarness H, BlockDevice Sda1, DiskStatsSnapshot Before) RunKnownWorkload()
    {
        var h = new QueueHarness(new QueueLimits { WriteCache = true, MaxDiscardSectors = 4096 }, capacitySectors: 100_000);
        h.Driver.LatencyNs = 2 * Ms;
        BlockDevice sda1 = h.Disk.AddPartition(1, 2048, 8192);
        DiskStatsSnapshot before = h.Disk.Stats.Snapshot();
        h.Run(async () =>
        {
            using (h.Queue.Plug(1))
            {
                h.Submit(h.Write(0, 8), sda1);
                h.Submit(h.Write(8, 8), sda1);
                h.Submit(h.Write(16, 8), sda1);
                h.Submit(h.Read(50_000, 8));
            }
            Assert.Equal(Errno.None, await sda1.SubmitAndWaitAsync(h.Read(100, 16)));
            Assert.Equal(0, h.Disk.Stats.InFlight);
            await h.Simulation.Delay(1 * Ms);
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Flush()));
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Discard(60_000, 1000)));
            Assert.Equal(Errno.None, await sda1.SubmitAndWaitAsync(h.Write(200, 8, flags: BioFlags.Fua)));
        });
        Assert.Equal(11 * Ms, h.Simulation.Now);
        return (h, sda1, before);
    }

    [Fact]
    public void Diskstats_after_a_known_workload_are_exact_for_the_disk_and_the_partition()
    {
        (QueueHarness h, BlockDevice sda1, _) = RunKnownWorkload();
        //                                reads       writes      in-flight io_ticks weighted  discards      flushes
        Assert.Equal("   8       0 sda 2 0 24 4 2 2 32 6 0 10 16 1 0 1000 2 2 4", h.Disk.DiskstatsLine);
        Assert.Equal("   8       1 sda1 1 0 16 2 2 2 32 6 0 4 8 0 0 0 0 0 0", sda1.DiskstatsLine);
    }

    [Fact]
    public void The_diskstats_line_has_the_kernel_layout_of_twenty_fields()
    {
        (QueueHarness h, _, _) = RunKnownWorkload();
        string line = h.Disk.DiskstatsLine;
        Assert.Equal(20, line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("   8       0 sda ", line); // "%4d %7d %s" as genhd.c prints it
    }

    [Fact]
    public void In_flight_and_io_ticks_count_overlapping_requests_once()
    {
        var h = new QueueHarness();
        h.Driver.Decide = r => new DriverAction(DriverActionKind.Complete, LatencyNs: r.Sector == 0 ? 4 * Ms : 2 * Ms);
        Bio a = h.Submit(h.Read(0, 8));
        h.Simulation.RunUntil(1 * Ms);
        Bio b = h.Submit(h.Read(100, 8));
        Assert.Equal(2, h.Disk.Stats.InFlight);
        Assert.Equal(1 * Ms, h.Disk.Stats.IoTicksNs); // live while busy
        h.RunUntilDone(a, b);
        Assert.Equal(0, h.Disk.Stats.InFlight);
        Assert.Equal(4, h.Disk.Stats.IoTicksMs);
        Assert.Equal(6, h.Disk.Stats.TimeInQueueMs); // 4 ms + 2 ms: weighted by requests
        Assert.Equal(6, h.Disk.Stats.ReadTicksMs);
    }

    [Fact]
    public void Ticks_run_from_allocation_so_time_in_the_elevator_counts()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 1 });
        h.Driver.LatencyNs = 2 * Ms;
        Bio a = h.Submit(h.Read(0, 8));
        Bio b = h.Submit(h.Read(100, 8)); // waits 2 ms for the tag
        h.RunUntilDone(a, b);
        Assert.Equal(2 + 4, h.Disk.Stats.ReadTicksMs);
        Assert.Equal(4, h.Disk.Stats.IoTicksMs);
    }

    [Fact]
    public void Iostat_figures_follow_sysstat_formulas()
    {
        (QueueHarness h, _, DiskStatsSnapshot before) = RunKnownWorkload();
        IoStat s = IoStat.Between(before, h.Disk.Stats.Snapshot());
        Assert.Equal(0.011, s.IntervalSeconds, 9);
        Assert.Equal(2 / 0.011, s.ReadsPerSecond, 6);
        Assert.Equal(12 / 0.011, s.ReadKiBPerSecond, 6);
        Assert.Equal(6, s.ReadRequestKiB, 9);
        Assert.Equal(2, s.ReadAwaitMs, 9);
        Assert.Equal(3, s.WriteAwaitMs, 9);
        Assert.Equal(50, s.WriteMergePercent, 9);
        Assert.Equal(2 / 0.011, s.WriteMergesPerSecond, 6);
        Assert.Equal(2, s.DiscardAwaitMs, 9);
        Assert.Equal(2, s.FlushAwaitMs, 9);
        Assert.Equal(16.0 / 11, s.AverageQueueSize, 9);
        Assert.Equal(100.0 * 10 / 11, s.UtilizationPercent, 9);
    }

    [Fact]
    public void Iostat_refuses_samples_out_of_order()
    {
        (QueueHarness h, _, DiskStatsSnapshot before) = RunKnownWorkload();
        Assert.Throws<ArgumentException>(() => IoStat.Between(h.Disk.Stats.Snapshot(), before));
    }
}
