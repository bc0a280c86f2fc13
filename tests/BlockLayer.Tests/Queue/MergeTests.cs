using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Queue;

public class MergeTests
{
    /// <summary>A harness whose driver is busy with one long request, so later requests wait in the elevator.</summary>
    private static QueueHarness WithBusyDevice(QueueLimits? limits = null, QueueOptions? options = null)
    {
        var h = new QueueHarness(limits ?? new QueueLimits { QueueDepth = 1 }, options);
        h.Driver.LatencyNs = 1_000_000;
        h.Submit(h.Read(1_000_000, 8, processId: 99));
        return h;
    }

    [Fact]
    public void A_bio_that_continues_a_held_request_is_back_merged()
    {
        QueueHarness h = WithBusyDevice();
        Bio first = h.Submit(h.Write(100, 8));
        Bio second = h.Submit(h.Write(108, 8));
        Assert.Equal(1, h.Queue.HeldCount);
        Assert.Equal(1, h.Elevator.BioMerges);
        h.RunUntilDone(first, second);
        IssuedRequest merged = h.Driver.Issued[1];
        Assert.Equal((100L, 16, 2), (merged.Sector, merged.SectorCount, merged.BioCount));
        Assert.Equal(1, h.Tracer.Count(BlockTraceAction.BackMerge));
        Assert.Equal(1, h.Queue.Statistics.BackMerges);
    }

    [Fact]
    public void A_bio_that_ends_where_a_held_request_starts_is_front_merged()
    {
        QueueHarness h = WithBusyDevice();
        Bio second = h.Submit(h.Write(108, 8));
        Bio first = h.Submit(h.Write(100, 8));
        h.RunUntilDone(first, second);
        IssuedRequest merged = h.Driver.Issued[1];
        Assert.Equal((100L, 16), (merged.Sector, merged.SectorCount));
        Assert.Equal(1, h.Tracer.Count(BlockTraceAction.FrontMerge));
    }

    [Fact]
    public void Front_merges_can_be_turned_off()
    {
        QueueHarness h = WithBusyDevice(options: new QueueOptions { FrontMerges = false });
        h.Submit(h.Write(108, 8));
        h.Submit(h.Write(100, 8));
        Assert.Equal(2, h.Queue.HeldCount);
        Assert.Equal(0, h.Queue.Statistics.FrontMerges);
    }

    [Fact]
    public void Merging_can_be_turned_off()
    {
        QueueHarness h = WithBusyDevice(options: new QueueOptions { Merges = false });
        for (int i = 0; i < 4; i++)
            h.Submit(h.Write(100 + i * 8, 8));
        Assert.Equal(4, h.Queue.HeldCount);
    }

    [Fact]
    public void A_back_merge_that_closes_a_gap_merges_the_next_request_too()
    {
        QueueHarness h = WithBusyDevice();
        Bio a = h.Submit(h.Write(100, 8));
        Bio c = h.Submit(h.Write(116, 8));
        Assert.Equal(2, h.Queue.HeldCount);
        Bio b = h.Submit(h.Write(108, 8));
        Assert.Equal(1, h.Queue.HeldCount);
        Assert.Equal(1, h.Elevator.RequestMerges);
        h.RunUntilDone(a, b, c);
        IssuedRequest merged = h.Driver.Issued[1];
        Assert.Equal((100L, 24, 3), (merged.Sector, merged.SectorCount, merged.BioCount));
        Assert.Equal(2, h.Disk.Stats.WriteMerges); // the bio merge and the request merge, as Linux counts them
        Assert.Equal(1, h.Disk.Stats.WriteIos);
    }

    [Fact]
    public void A_front_merge_that_closes_a_gap_joins_the_previous_request()
    {
        QueueHarness h = WithBusyDevice();
        h.Submit(h.Write(100, 8));
        h.Submit(h.Write(116, 8));
        h.Submit(h.Write(108, 8)); // back merges into 100 (then absorbs 116)
        h.Submit(h.Write(200, 8));
        h.Submit(h.Write(216, 8));
        h.Submit(h.Write(208, 8)); // same through a front merge: 208 front-merges into 216, then 200 absorbs it
        Assert.Equal(2, h.Queue.HeldCount);
        Assert.Equal(2, h.Elevator.RequestMerges);
    }

    [Fact]
    public void Requests_merge_at_insertion_when_they_continue_a_held_request()
    {
        QueueHarness h = WithBusyDevice();
        BlockPlug plug = h.Queue.Plug(2);
        Bio plugged = h.Submit(h.Write(108, 8, processId: 2));
        Bio held = h.Submit(h.Write(100, 8, processId: 1)); // not plugged: straight to the elevator
        Assert.Equal(1, h.Queue.HeldCount);

        plug.Finish();

        Assert.Equal(1, h.Queue.HeldCount);
        Assert.Equal(1, h.Queue.Statistics.RequestMerges);
        Assert.Equal(1, h.Elevator.BioMerges); // reported to the elevator as growth at the back of what it holds
        Assert.Equal(2, h.Tracer.Count(BlockTraceAction.Insert)); // the busy read and 100; 108 merged instead
        h.RunUntilDone(plugged, held);
        Assert.Equal((100L, 16), (h.Driver.Issued[1].Sector, h.Driver.Issued[1].SectorCount));
    }

    [Fact]
    public void Merges_never_exceed_max_sectors()
    {
        QueueHarness h = WithBusyDevice(new QueueLimits { QueueDepth = 1, MaxSectors = 64 });
        for (int i = 0; i < 20; i++)
            h.Submit(h.Write(i * 8L, 8));
        h.Simulation.Run();
        Assert.Equal([64, 64, 32], h.Driver.Issued.Skip(1).Select(r => r.SectorCount));
    }

    [Fact]
    public void Merges_never_exceed_max_segments()
    {
        QueueHarness h = WithBusyDevice(new QueueLimits { QueueDepth = 1, MaxSegments = 4 });
        for (int i = 0; i < 10; i++)
            h.Submit(h.Data(BioOp.Write, i * 16L, 16, segmentBytes: 4096, contiguous: false)); // 2 segments each
        h.Simulation.Run();
        Assert.Equal([4, 4, 4, 4, 4], h.Driver.Issued.Skip(1).Select(r => r.SegmentCount));
        Assert.Equal([32, 32, 32, 32, 32], h.Driver.Issued.Skip(1).Select(r => r.SectorCount));
    }

    [Fact]
    public void Physically_contiguous_segments_of_a_bio_count_as_one_up_to_the_max_segment_size()
    {
        QueueHarness h = WithBusyDevice(new QueueLimits { QueueDepth = 1, MaxSegmentSize = 16384 });
        // 12 pages, contiguous in memory: three 16 KiB scatter-gather entries.
        h.Submit(h.Data(BioOp.Write, 0, 96, segmentBytes: 4096, contiguous: true));
        h.Simulation.Run();
        Assert.Equal(3, h.Driver.Issued[1].SegmentCount);
    }

    [Fact]
    public void Reads_and_writes_never_merge_with_each_other()
    {
        QueueHarness h = WithBusyDevice();
        h.Submit(h.Write(100, 8));
        h.Submit(h.Read(108, 8));
        h.Submit(h.Read(92, 8));
        Assert.Equal(3, h.Queue.HeldCount);
    }

    [Fact]
    public void Fua_bios_never_merge()
    {
        QueueHarness h = WithBusyDevice(new QueueLimits { QueueDepth = 1, WriteCache = true, Fua = true });
        h.Submit(h.Write(100, 8));
        h.Submit(h.Write(108, 8, flags: BioFlags.Fua));
        h.Submit(h.Write(116, 8));
        Assert.Equal(3, h.Queue.HeldCount);
    }

    [Fact]
    public void The_elevator_can_veto_a_merge()
    {
        QueueHarness h = WithBusyDevice();
        h.Elevator.VetoMerges = true;
        h.Submit(h.Write(100, 8));
        h.Submit(h.Write(108, 8));
        h.Submit(h.Write(92, 8));
        Assert.Equal(3, h.Queue.HeldCount);
        // Asked for the back merge, the front merge and again when 108 was inserted after the first.
        Assert.Equal(3, h.Queue.Statistics.MergesVetoed);
    }

    [Fact]
    public void A_bio_never_merges_into_a_request_at_the_device()
    {
        var h = new QueueHarness();
        h.Driver.LatencyNs = 1_000_000;
        h.Submit(h.Write(100, 8));
        h.Submit(h.Write(108, 8));
        h.Simulation.Run();
        Assert.Equal(2, h.Driver.Issued.Count);
        Assert.Equal(0, h.Queue.Statistics.BackMerges);
    }
}
