using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Queue;

public class SplitTests
{
    [Fact]
    public void A_bio_over_max_sectors_is_split_and_completes_once_when_every_child_has()
    {
        var h = new QueueHarness(new QueueLimits { MaxSectors = 256 });
        h.Driver.LatencyNs = 1000;
        Bio bio = h.Data(BioOp.Read, 1000, 600, segmentBytes: 4096, contiguous: false);
        h.Submit(bio);
        h.RunUntilDone(bio);
        Assert.Equal(Errno.None, bio.Status);
        Assert.Equal([(1000L, 256), (1256L, 256), (1512L, 88)], h.Driver.Issued.Select(r => (r.Sector, r.SectorCount)));
        Assert.Equal(1, h.Tracer.Count(BlockTraceAction.Split));
        Assert.Equal(1, h.Tracer.Count(BlockTraceAction.Queue));
        Assert.Equal(3, h.Tracer.Count(BlockTraceAction.Complete));
        Assert.Equal(1000, bio.Sector); // the submitter's bio is left as it was
        Assert.Equal(3, h.Disk.Stats.ReadIos);
        Assert.Equal(600, h.Disk.Stats.ReadSectors);
    }

    [Fact]
    public void A_split_cuts_a_segment_where_the_sector_limit_falls()
    {
        var h = new QueueHarness(new QueueLimits { MaxSectors = 12 });
        Bio bio = h.Data(BioOp.Write, 0, 24, segmentBytes: 8192, contiguous: false); // segments of 8 KiB and 4 KiB
        h.RunUntilDone(h.Submit(bio));
        // 6 KiB of the first segment; then its last 2 KiB and the second segment.
        Assert.Equal([(12, 1), (12, 2)], h.Driver.Issued.Select(r => (r.SectorCount, r.SegmentCount)));
    }

    [Fact]
    public void A_bio_with_more_segments_than_the_limit_is_split_at_segment_boundaries()
    {
        var h = new QueueHarness(new QueueLimits { MaxSegments = 4 });
        Bio bio = h.Data(BioOp.Write, 0, 80, segmentBytes: 4096, contiguous: false); // 10 segments
        h.RunUntilDone(h.Submit(bio));
        Assert.Equal([(0L, 32, 4), (32L, 32, 4), (64L, 16, 2)], h.Driver.Issued.Select(r => (r.Sector, r.SectorCount, r.SegmentCount)));
    }

    [Fact]
    public void A_segment_longer_than_the_max_segment_size_counts_as_several()
    {
        var h = new QueueHarness(new QueueLimits { MaxSegments = 2, MaxSegmentSize = 4096 });
        Bio bio = h.Data(BioOp.Read, 0, 32); // one 16 KiB segment = 4 scatter-gather entries
        h.RunUntilDone(h.Submit(bio));
        Assert.Equal([(0L, 16, 2), (16L, 16, 2)], h.Driver.Issued.Select(r => (r.Sector, r.SectorCount, r.SegmentCount)));
    }

    [Fact]
    public void A_failed_child_fails_the_parent_and_the_others_still_complete()
    {
        var h = new QueueHarness(new QueueLimits { MaxSectors = 8 });
        h.Driver.Decide = r => r.Sector == 8 ? DriverAction.Fail(Errno.EIO) : DriverAction.Ok;
        Bio bio = h.Data(BioOp.Read, 0, 24);
        h.RunUntilDone(h.Submit(bio));
        Assert.Equal(Errno.EIO, bio.Status);
        Assert.Equal(3, h.Driver.Issued.Count);
    }

    [Fact]
    public void A_large_discard_is_split_at_max_discard_sectors()
    {
        var h = new QueueHarness(new QueueLimits { MaxDiscardSectors = 1000 });
        Bio bio = h.Discard(0, 2500);
        h.RunUntilDone(h.Submit(bio));
        Assert.Equal([(0L, 1000), (1000L, 1000), (2000L, 500)], h.Driver.Issued.Select(r => (r.Sector, r.SectorCount)));
        Assert.Equal(Errno.None, bio.Status);
        Assert.Equal(3, h.Disk.Stats.DiscardIos);
        Assert.Equal(2500, h.Disk.Stats.DiscardSectors);
    }

    [Fact]
    public void Split_children_still_merge_with_their_neighbours()
    {
        var h = new QueueHarness(new QueueLimits { MaxSectors = 16, QueueDepth = 1 });
        h.Driver.LatencyNs = 1_000_000;
        h.Submit(h.Read(500_000, 8, processId: 9)); // occupies the device
        Bio large = h.Submit(h.Data(BioOp.Read, 0, 24)); // children 0+16 and 16+8
        Bio small = h.Submit(h.Read(24, 8)); // continues the second child
        h.RunUntilDone(small, large);
        Assert.Equal([(0L, 16), (16L, 16)], h.Driver.Issued.Skip(1).Select(r => (r.Sector, r.SectorCount)));
    }
}
