using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers;

public class KyberTests
{
    private static long Stat(IElevator elevator, string name) => elevator.Statistics.Single(p => p.Key == name).Value;

    /// <summary>
    /// A flash device serving one command at a time (reads 100 us, writes 200 us) with 32 tags, a buffered
    /// writer keeping <paramref name="writerDepth"/> writes outstanding and a reader doing one random read at a time.
    /// </summary>
    private static (ProcessStats Reader, ProcessStats Writer) ReaderAgainstWriter(IElevator elevator, int writerDepth, int readers = 1)
    {
        var h = new ElevatorHarness(elevator, new HarnessOptions
        {
            Track = false,
            Rotational = false,
            QueueDepth = 32,
            Model = new FixedLatencyModel(100 * SimTime.Microsecond, 200 * SimTime.Microsecond),
        });
        long half = h.Options.CapacitySectors / 2;
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { Op = BioOp.Write, RegionSectors = half, RequestSectors = 8, IoDepth = writerDepth });
        for (int r = 0; r < readers; r++)
            _ = new WorkloadProcess(h, 2 + r, new WorkloadSpec { Pattern = AccessPattern.Random, RegionStart = half, RegionSectors = half, RequestSectors = 8 });
        h.StatsFor(1).MeasureFrom = 10 * SimTime.Second; // kyber adapts over a few windows first
        h.StatsFor(2).MeasureFrom = 10 * SimTime.Second;
        h.RunUntil(20 * SimTime.Second);
        return (h.StatsFor(2), h.StatsFor(1));
    }

    [Fact]
    public void Writes_are_throttled_while_reads_miss_their_2_ms_target_and_reads_get_faster_than_under_none()
    {
        var kyber = new KyberElevator();
        (ProcessStats reader, ProcessStats writer) = ReaderAgainstWriter(kyber, writerDepth: 32);
        (ProcessStats readerNone, ProcessStats writerNone) = ReaderAgainstWriter(new NoneElevator(), writerDepth: 32);

        double kyberMs = reader.MeasuredMeanLatency / 1e6;
        double noneMs = readerNone.MeasuredMeanLatency / 1e6;
        Assert.True(noneMs > 4, $"the writer should push reads well past 2 ms under none ({noneMs:F2} ms)");
        Assert.True(kyberMs < 0.5 * noneMs && kyberMs <= 2.5, $"kyber reads {kyberMs:F2} ms against none {noneMs:F2} ms");
        Assert.InRange(kyber.DepthOf(KyberDomain.Write), 1, 31); // below the device's tags: it now binds
        Assert.True(Stat(kyber, "write_throttled") > 0);
        Assert.True(Stat(kyber, "congested_windows") > 0);
        Assert.Equal(256, kyber.DepthOf(KyberDomain.Read));
        Assert.True(writer.MeasuredSectors > 0.8 * writerNone.MeasuredSectors, "throttling should cost the writer little");
    }

    [Fact]
    public void A_writer_missing_its_own_10_ms_target_is_not_throttled_further()
    {
        var kyber = new KyberElevator();
        (ProcessStats _, ProcessStats writer) = ReaderAgainstWriter(kyber, writerDepth: 64);

        Assert.True(writer.MeasuredMeanLatency > 10 * SimTime.Millisecond);
        Assert.Equal(KyberElevator.MaxDepths[(int)KyberDomain.Write], kyber.DepthOf(KyberDomain.Write));
        Assert.True(Stat(kyber, "congested_windows") > 0);
    }

    [Fact]
    public void Nothing_is_throttled_while_every_domain_meets_its_target()
    {
        var kyber = new KyberElevator();
        (ProcessStats reader, ProcessStats _) = ReaderAgainstWriter(kyber, writerDepth: 2);

        Assert.True(reader.MeasuredMeanLatency < 2 * SimTime.Millisecond);
        Assert.Equal(0, Stat(kyber, "congested_windows"));
        Assert.Equal(0, Stat(kyber, "depth_changes"));
        Assert.True(Stat(kyber, "windows") > 10);
    }

    [Fact]
    public void Token_depths_start_at_linuxs_caps_and_batches_rotate_over_the_domains()
    {
        var kyber = new KyberElevator();
        Assert.Equal([256, 128, 64, 16], Enum.GetValues<KyberDomain>().Select(kyber.DepthOf));

        var h = new ElevatorHarness(kyber, new HarnessOptions { QueueDepth = 1024, RecordDispatches = true });
        h.AutoDispatch = false;
        for (int i = 0; i < 40; i++)
            h.Submit(h.Rent(BioOp.Read, i * 8, 8, 1));
        for (int i = 0; i < 40; i++)
            h.Submit(h.Rent(BioOp.Write, 1_000_000 + i * 8, 8, 2));
        for (int i = 0; i < 4; i++)
            h.Submit(h.Rent(BioOp.Discard, 5_000_000 + i * 2048, 2048, 3));
        for (int i = 0; i < 84; i++)
            h.DispatchOne();

        string pattern = string.Concat(h.Dispatches.Select(d => d.Op switch { BioOp.Read => 'R', BioOp.Write => 'W', _ => 'D' }));
        string expected = new string('R', 16) + new string('W', 8) + "D" + new string('R', 16) + new string('W', 8) + "D";
        Assert.StartsWith(expected, pattern);
    }

    [Fact]
    public void The_latency_targets_are_tunables_in_nanoseconds_with_linuxs_defaults()
    {
        var kyber = new KyberElevator();
        var shown = kyber.Tunables.ToDictionary(t => t.Name, t => $"{t.Value} {t.Unit}");
        Assert.Equal("2000000 ns", shown["read_lat_nsec"]);
        Assert.Equal("10000000 ns", shown["write_lat_nsec"]);
        Assert.Equal("5000000000 ns", shown["discard_lat_nsec"]);
        Assert.True(kyber.TrySetTunable("read_lat_nsec", "1ms", out string error), error);
        Assert.Equal("1000000", kyber.Tunables.Single(t => t.Name == "read_lat_nsec").Value);
    }
}
