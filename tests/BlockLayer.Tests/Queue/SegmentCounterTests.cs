namespace Hardware.BlockLayer.Tests.Queue;

public class SegmentCounterTests
{
    [Fact]
    public void Contiguous_segments_join_until_the_maximum_segment_size()
    {
        BioSegment[] pages = Enumerable.Range(0, 10).Select(i => new BioSegment(0x10000 + (ulong)i * 4096, 4096)).ToArray();
        Assert.Equal(1, SegmentCounter.CountSegments(pages, 65536));
        Assert.Equal(3, SegmentCounter.CountSegments(pages, 16384)); // 4 + 4 + 2 pages
        Assert.Equal(10, SegmentCounter.CountSegments(pages, 4096));
    }

    [Fact]
    public void Segments_with_gaps_or_out_of_order_never_join()
    {
        BioSegment[] segments = [new(0x10000, 4096), new(0x12000, 4096), new(0x11000, 4096)];
        Assert.Equal(3, SegmentCounter.CountSegments(segments, 65536));
    }

    [Fact]
    public void A_segment_longer_than_the_maximum_needs_several_entries_and_its_tail_can_join_the_next()
    {
        BioSegment[] segments = [new(0x10000, 40960), new(0x10000 + 40960, 4096)];
        // 40 KiB at 16 KiB per entry: 16 + 16 + 8, then the next 4 KiB joins the 8 KiB tail.
        Assert.Equal(3, SegmentCounter.CountSegments(segments, 16384));
    }

    [Fact]
    public void Fit_offers_only_what_stays_within_the_segment_limit()
    {
        var counter = new SegmentCounter(16384);
        counter.Add(0x10000, 4096);
        counter.Add(0x20000, 4096);
        Assert.Equal(2, counter.Count);
        Assert.Equal(12288, counter.Fit(0x21000, 65536, maxSegments: 2, granularity: 512)); // only what joins the last entry
        Assert.Equal(0, counter.Fit(0x40000, 4096, maxSegments: 2, granularity: 512));      // a new entry does not fit
        Assert.Equal(16384, counter.Fit(0x40000, 65536, maxSegments: 3, granularity: 512));
        Assert.Equal(8192, counter.Fit(0x40000, 10000, maxSegments: 3, granularity: 4096)); // whole logical blocks only
    }
}
