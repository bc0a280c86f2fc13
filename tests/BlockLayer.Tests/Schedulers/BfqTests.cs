using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers;

public class BfqTests
{
    private static long Stat(IElevator elevator, string name) => elevator.Statistics.Single(p => p.Key == name).Value;

    [Theory]
    [InlineData(100, 300, true)]
    [InlineData(100, 300, false)]
    [InlineData(100, 100, true)]
    [InlineData(100, 1000, true)]
    public void Two_sequential_readers_share_throughput_in_proportion_to_their_weights_within_10_percent(int weight1, int weight2, bool rotational)
    {
        var bfq = new BfqElevator();
        bfq.SetWeight(1, weight1);
        bfq.SetWeight(2, weight2);
        var h = new ElevatorHarness(bfq, new HarnessOptions
        {
            Track = false,
            Rotational = rotational,
            // Flash without command queueing: idling is then worth it for sequential readers (as on disks).
            QueueDepth = rotational ? 32 : 1,
            Model = rotational ? null : new FixedLatencyModel(100 * SimTime.Microsecond, 100 * SimTime.Microsecond, perSector: 500),
        });
        long half = h.Options.CapacitySectors / 2;
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = half });
        _ = new WorkloadProcess(h, 2, new WorkloadSpec { RegionStart = half, RegionSectors = half });

        h.RunUntil(10 * SimTime.Second);

        double ratio = (double)h.StatsFor(2).Sectors / h.StatsFor(1).Sectors;
        double expected = (double)weight2 / weight1;
        Assert.InRange(ratio, expected * 0.9, expected * 1.1);
        Assert.True(Stat(bfq, "slices") > 50, "the readers should take turns in many slots");
    }

    [Fact]
    public void On_queueing_flash_the_lighter_reader_is_not_idled_for_and_gets_no_more_than_its_share()
    {
        // Linux does not plug dispatch for a queue no heavier than the others: it cannot take more than its
        // share that way. On an NCQ SSD nothing else argues for idling, so the lighter reader gets less.
        var bfq = new BfqElevator();
        bfq.SetWeight(1, 100);
        bfq.SetWeight(2, 300);
        var h = new ElevatorHarness(bfq, new HarnessOptions
        {
            Track = false,
            Rotational = false,
            Model = new FixedLatencyModel(100 * SimTime.Microsecond, 100 * SimTime.Microsecond, perSector: 500),
        });
        long half = h.Options.CapacitySectors / 2;
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = half });
        _ = new WorkloadProcess(h, 2, new WorkloadSpec { RegionStart = half, RegionSectors = half });
        h.RunUntil(2 * SimTime.Second);

        Assert.True(h.StatsFor(2).Sectors > 3 * h.StatsFor(1).Sectors);
    }

    [Fact]
    public void Sharing_by_slots_keeps_sequential_throughput_that_fcfs_loses_to_seeks()
    {
        double MegabytesPerSecond(IElevator elevator)
        {
            var h = new ElevatorHarness(elevator, new HarnessOptions { Track = false });
            long half = h.Options.CapacitySectors / 2;
            _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = half });
            _ = new WorkloadProcess(h, 2, new WorkloadSpec { RegionStart = half, RegionSectors = half });
            h.RunUntil(5 * SimTime.Second);
            return (h.StatsFor(1).Sectors + h.StatsFor(2).Sectors) * 512 / 5e6;
        }

        // Without low_latency: two new queues would both be weight-raised, and BFQ (like Linux) does not idle to
        // boost throughput while raised queues are busy.
        double bfq = MegabytesPerSecond(new BfqElevator(new BfqOptions { LowLatency = false }));
        double none = MegabytesPerSecond(new NoneElevator());
        Assert.True(bfq > 5 * none, $"bfq {bfq:F1} MB/s against none {none:F1} MB/s");
    }

    [Fact]
    public void An_empty_sync_queue_keeps_the_device_idle_for_slice_idle_and_a_request_in_time_is_served_at_once()
    {
        var bfq = new BfqElevator(new BfqOptions { LowLatency = false });
        var h = new ElevatorHarness(bfq);
        h.AutoDispatch = false;
        Request first = h.Rent(BioOp.Read, 1000, 8, 1);
        h.Submit(first);
        for (int i = 0; i < 10; i++)
            h.Submit(h.Rent(BioOp.Read, 10_000_000 + i * 8, 8, 2));

        Assert.Same(first, h.DispatchOne());
        Assert.Null(h.DispatchOne()); // waits for the reader's request to complete before deciding
        h.RunToIdleOfDevice();
        long idleFrom = h.Now;

        Assert.Null(h.DispatchOne()); // idling although process 2 has ten requests
        Assert.True(h.Elevator.HasPending);
        Assert.Equal(idleFrom + 8 * SimTime.Millisecond, h.Queue.LastRunRequested);
        Assert.Equal(1, Stat(bfq, "idle_windows"));

        h.RunUntil(idleFrom + 3 * SimTime.Millisecond);
        Request next = h.Rent(BioOp.Read, 1008, 8, 1);
        h.Submit(next);
        Assert.Same(next, h.DispatchOne());
        Assert.Equal(1, Stat(bfq, "idle_hits"));
        Assert.Equal(1, bfq.InServiceProcessId);
    }

    [Fact]
    public void When_the_idle_window_passes_without_a_request_the_queue_expires_and_the_next_is_served()
    {
        var bfq = new BfqElevator(new BfqOptions { LowLatency = false });
        var h = new ElevatorHarness(bfq);
        h.AutoDispatch = false;
        h.Submit(h.Rent(BioOp.Read, 1000, 8, 1));
        h.Submit(h.Rent(BioOp.Read, 10_000_000, 8, 2));
        h.DispatchOne();
        h.RunToIdleOfDevice();
        Assert.Null(h.DispatchOne());

        h.RunUntil(h.Queue.LastRunRequested);
        Request? other = h.DispatchOne();

        Assert.Equal(2, other?.ProcessId);
        Assert.Equal(1, Stat(bfq, "expired_too_idle"));
    }

    [Fact]
    public void Idling_lets_a_sequential_reader_that_thinks_between_requests_keep_its_throughput_against_a_random_reader()
    {
        double ReaderMegabytesPerSecond(string spec)
        {
            Assert.True(ElevatorRegistry.TryCreate(spec, out IElevator? elevator, out string error), error);
            var h = new ElevatorHarness(elevator!, new HarnessOptions { Track = false, QueueDepth = 1 });
            long quarter = h.Options.CapacitySectors / 4;
            _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = quarter, ThinkTime = 2 * SimTime.Millisecond });
            _ = new WorkloadProcess(h, 2, new WorkloadSpec { Pattern = AccessPattern.Random, RegionStart = 2 * quarter, RegionSectors = quarter, RequestSectors = 8, IoDepth = 4 });
            h.RunUntil(5 * SimTime.Second);
            return h.StatsFor(1).Sectors * 512 / 5e6;
        }

        double idling = ReaderMegabytesPerSecond("bfq:low_latency=0");
        double notIdling = ReaderMegabytesPerSecond("bfq:low_latency=0,slice_idle=0");
        Assert.True(idling > 3 * notIdling, $"with slice_idle {idling:F1} MB/s, without {notIdling:F1} MB/s");
    }

    [Fact]
    public void An_async_writer_is_never_idled_for()
    {
        var bfq = new BfqElevator();
        var h = new ElevatorHarness(bfq, new HarnessOptions { Track = false });
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { Op = BioOp.Write, RegionSectors = 1 << 20, IoDepth = 1, MaxRequests = 200 });
        h.RunToIdle();
        Assert.Equal(0, Stat(bfq, "idle_windows"));
    }

    private static (double MeanLatencyMs, BfqElevator Bfq) InteractiveAgainstHeavyReader(bool lowLatency)
    {
        var bfq = new BfqElevator(new BfqOptions { LowLatency = lowLatency });
        var h = new ElevatorHarness(bfq, new HarnessOptions { Track = false });
        long half = h.Options.CapacitySectors / 2;
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = half });
        _ = new WorkloadProcess(h, 3, new WorkloadSpec { Op = BioOp.Write, RegionStart = half / 2, RegionSectors = half / 4, IoDepth = 16 });
        // An application starting at 3 s: 40 scattered reads with a little computation in between.
        _ = new WorkloadProcess(h, 2, new WorkloadSpec
        {
            Pattern = AccessPattern.Random, RegionStart = half, RegionSectors = half, RequestSectors = 64,
            ThinkTime = 20 * SimTime.Millisecond, StartAt = 3 * SimTime.Second, MaxRequests = 40,
        });
        h.RunUntil(3 * SimTime.Second + 100 * SimTime.Millisecond);
        Assert.Equal(lowLatency, bfq.IsWeightRaised(2));
        h.RunUntil(10 * SimTime.Second);
        Assert.Equal(40, h.StatsFor(2).Completed);
        return (h.StatsFor(2).MeanLatency / 1e6, bfq);
    }

    [Fact]
    public void Low_latency_raises_the_weight_of_a_newly_started_interactive_process_and_cuts_its_latency()
    {
        (double raised, BfqElevator bfq) = InteractiveAgainstHeavyReader(lowLatency: true);
        (double plain, _) = InteractiveAgainstHeavyReader(lowLatency: false);

        Assert.True(raised < 0.6 * plain, $"raised {raised:F1} ms against {plain:F1} ms without low_latency");
        Assert.True(Stat(bfq, "weight_raises_interactive") >= 2); // the heavy reader was new once too
    }

    [Fact]
    public void A_periodic_low_rate_reader_is_raised_as_soft_real_time_and_keeps_low_latency_against_heavy_io()
    {
        (double MeanMs, BfqElevator Bfq) Run(bool lowLatency)
        {
            var bfq = new BfqElevator(new BfqOptions { LowLatency = lowLatency });
            var h = new ElevatorHarness(bfq, new HarnessOptions { Track = false, QueueDepth = 1 });
            long quarter = h.Options.CapacitySectors / 4;
            _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionStart = 0, RegionSectors = quarter });
            _ = new WorkloadProcess(h, 3, new WorkloadSpec { Pattern = AccessPattern.Random, RegionStart = quarter, RegionSectors = quarter, RequestSectors = 8, IoDepth = 4 });
            // A media player: 32 KiB every 50 ms, far below the 7000 sectors/s soft real-time ceiling.
            _ = new WorkloadProcess(h, 2, new WorkloadSpec { RegionStart = 2 * quarter, RegionSectors = quarter, RequestSectors = 64, ThinkTime = 50 * SimTime.Millisecond, StartAt = SimTime.Second });
            h.StatsFor(2).MeasureFrom = 12 * SimTime.Second; // after any interactive raising has run out
            h.RunUntil(20 * SimTime.Second);
            return (h.StatsFor(2).MeasuredMeanLatency / 1e6, bfq);
        }

        (double raised, BfqElevator bfq) = Run(lowLatency: true);
        (double plain, _) = Run(lowLatency: false);
        Assert.True(Stat(bfq, "weight_raises_soft_rt") >= 1);
        Assert.True(raised < 0.5 * plain, $"soft real-time {raised:F1} ms against {plain:F1} ms without low_latency");
    }

    [Fact]
    public void Weights_outside_1_to_1000_are_refused_with_the_process_and_value_named()
    {
        var bfq = new BfqElevator();
        Assert.False(bfq.TrySetWeight(7, 0, out string error));
        Assert.Equal("bfq: weight 0 for process 7 is out of range (valid 1..1000)", error);
        Assert.Throws<ArgumentOutOfRangeException>(() => bfq.SetWeight(7, 1001));
        Assert.Equal(BfqElevator.DefaultWeight, bfq.WeightOf(7));
        bfq.SetWeight(7, 1000);
        Assert.Equal(1000, bfq.WeightOf(7));
    }

    [Fact]
    public void The_tunables_carry_linuxs_defaults_and_units()
    {
        var shown = new BfqElevator().Tunables.ToDictionary(t => t.Name, t => $"{t.Default} {t.Unit}".Trim());
        Assert.Equal("8 ms", shown["slice_idle"]);
        Assert.Equal("8000 us", shown["slice_idle_us"]);
        Assert.Equal("125 ms", shown["timeout_sync"]);
        Assert.Equal("0 sectors", shown["max_budget"]); // 0: autotuned
        Assert.Equal("16384", new BfqElevator().Tunables.Single(t => t.Name == "max_budget").Value);
        Assert.Equal("16384 KiB", shown["back_seek_max"]);
        Assert.Equal("2", shown["back_seek_penalty"]);
        Assert.Equal("125 ms", shown["fifo_expire_sync"]);
        Assert.Equal("250 ms", shown["fifo_expire_async"]);
        Assert.Equal("1", shown["low_latency"]);
    }

    [Fact]
    public void Slice_idle_and_slice_idle_us_are_two_views_of_one_setting()
    {
        var bfq = new BfqElevator();
        Assert.True(bfq.TrySetTunable("slice_idle_us", "2500", out string error), error);
        Assert.Equal("2.5", bfq.Tunables.Single(t => t.Name == "slice_idle").Value);
    }

    [Fact]
    public void Max_budget_autotunes_from_the_measured_peak_rate_unless_set()
    {
        var bfq = new BfqElevator();
        var h = new ElevatorHarness(bfq, new HarnessOptions { Track = false });
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { RegionSectors = 1L << 26 });
        h.RunUntil(5 * SimTime.Second);

        // About what the device moves in timeout_sync at its streaming rate (~150 MB/s: ~36K sectors in 125 ms).
        Assert.InRange(bfq.MaxBudget, 25_000, 40_000);
        Assert.True(Stat(bfq, "peak_rate_updates") > 0);

        var fixedBudget = new BfqElevator(new BfqOptions { MaxBudget = 4096 });
        var h2 = new ElevatorHarness(fixedBudget, new HarnessOptions { Track = false });
        _ = new WorkloadProcess(h2, 1, new WorkloadSpec { RegionSectors = 1L << 26 });
        h2.RunUntil(5 * SimTime.Second);
        Assert.Equal(4096, fixedBudget.MaxBudget);
    }
}
