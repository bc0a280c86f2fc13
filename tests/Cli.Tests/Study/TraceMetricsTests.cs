using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Study;

namespace Hardware.Cli.Tests.Study;

public class TraceMetricsTests
{
    private const long Ms = 1_000_000;

    private static BlockTraceEvent Event(long timeNs, BlockTraceAction action, long sector, int sectors, BioOp op = BioOp.Read) =>
        new(timeNs, action, op, BioFlags.None, sector, sectors * 512, ProcessId: 1, Device: 8 << 20);

    [Fact]
    public void Seek_distance_sums_the_jumps_from_the_end_of_one_issued_request_to_the_start_of_the_next()
    {
        // Textbook head movement: 100 -> 500 (jump 392 after the 8-sector request), 508 -> 200, 208 -> 208 (sequential).
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Issue, 100, 8),
            Event(1 * Ms, BlockTraceAction.Issue, 500, 8),
            Event(2 * Ms, BlockTraceAction.Issue, 200, 8),
            Event(3 * Ms, BlockTraceAction.Issue, 208, 8),
        ];
        TraceMetrics metrics = TraceMetrics.Compute(trace, 10 * Ms);
        Assert.Equal(392 + 308 + 0, metrics.SeekSectors);
        Assert.Equal(2, metrics.Seeks);
        Assert.Equal(4, metrics.IssuedRequests);
        Assert.Equal([100.0, 500, 200, 208], metrics.HeadPosition.Select(p => p.Y));
        Assert.Equal([0.0, 0.001, 0.002, 0.003], metrics.HeadPosition.Select(p => p.X));
    }

    [Fact]
    public void Flushes_count_in_queue_depth_but_do_not_move_the_head()
    {
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Issue, 1000, 8, BioOp.Write),
            Event(1 * Ms, BlockTraceAction.Issue, 0, 0, BioOp.Flush),
            Event(2 * Ms, BlockTraceAction.Issue, 1008, 8, BioOp.Write),
        ];
        TraceMetrics metrics = TraceMetrics.Compute(trace, 10 * Ms);
        Assert.Equal(0, metrics.SeekSectors);
        Assert.Equal(2, metrics.IssuedRequests);
        Assert.Equal(3, metrics.MaxQueueDepth);
    }

    [Fact]
    public void Queue_depth_is_issued_minus_completed_and_requeued()
    {
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Queue, 0, 8),
            Event(0, BlockTraceAction.Issue, 0, 8),
            Event(1 * Ms, BlockTraceAction.Issue, 64, 8),
            Event(2 * Ms, BlockTraceAction.Issue, 128, 8),
            Event(3 * Ms, BlockTraceAction.Complete, 0, 8),
            Event(4 * Ms, BlockTraceAction.Requeue, 64, 8),
            Event(5 * Ms, BlockTraceAction.Complete, 128, 8),
        ];
        TraceMetrics metrics = TraceMetrics.Compute(trace, 10 * Ms);
        Assert.Equal([1.0, 2, 3, 2, 1, 0], metrics.QueueDepth.Select(p => p.Y));
        Assert.Equal(3, metrics.MaxQueueDepth);
    }

    [Fact]
    public void Merges_count_back_and_front_merge_events()
    {
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Queue, 0, 8),
            Event(0, BlockTraceAction.Queue, 8, 8),
            Event(0, BlockTraceAction.BackMerge, 8, 8),
            Event(0, BlockTraceAction.Queue, 0, 8),
            Event(0, BlockTraceAction.FrontMerge, 0, 8),
        ];
        Assert.Equal(2, TraceMetrics.Compute(trace, Ms).Merges);
    }

    [Fact]
    public void Throughput_is_completed_bytes_per_bucket_in_megabytes_per_second()
    {
        // 10 ms buckets: 1 MB in the first (100 MB/s), nothing in the second, 0.5 MB in the third (50 MB/s).
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Issue, 0, 1000),
            Event(1 * Ms, BlockTraceAction.Issue, 1000, 1000),
            Event(5 * Ms, BlockTraceAction.Complete, 0, 1000),
            Event(9 * Ms, BlockTraceAction.Complete, 1000, 1000),
            Event(20 * Ms, BlockTraceAction.Issue, 0, 1000),
            Event(25 * Ms, BlockTraceAction.Complete, 0, 1000),
        ];
        TraceMetrics metrics = TraceMetrics.Compute(trace, 10 * Ms);
        Assert.Equal([0.005, 0.015, 0.025], metrics.ThroughputMBps.Select(p => Math.Round(p.X, 9)));
        Assert.Equal([102.4, 0, 51.2], metrics.ThroughputMBps.Select(p => Math.Round(p.Y, 9)));
    }

    [Fact]
    public void Series_times_count_from_the_first_traced_event()
    {
        BlockTraceEvent[] trace = [Event(7 * Ms, BlockTraceAction.Issue, 0, 8), Event(9 * Ms, BlockTraceAction.Complete, 0, 8)];
        TraceMetrics metrics = TraceMetrics.Compute(trace, Ms);
        Assert.Equal([0.0, 0.002], metrics.QueueDepth.Select(p => Math.Round(p.X, 9)));
    }

    [Fact]
    public void Events_before_the_window_set_the_head_and_queue_but_are_not_counted()
    {
        BlockTraceEvent[] trace =
        [
            Event(0, BlockTraceAction.Issue, 5000, 8, BioOp.Write), // mkfs or layout: the head ends at 5008
            Event(1 * Ms, BlockTraceAction.Queue, 100, 8),
            Event(1 * Ms, BlockTraceAction.BackMerge, 100, 8),
            Event(10 * Ms, BlockTraceAction.Issue, 1008, 8),
            Event(12 * Ms, BlockTraceAction.Complete, 5000, 8, BioOp.Write),
            Event(13 * Ms, BlockTraceAction.Complete, 1008, 8),
        ];
        TraceMetrics metrics = TraceMetrics.Compute(trace, Ms, windowStartNs: 10 * Ms);
        Assert.Equal(4000, metrics.SeekSectors);
        Assert.Equal(1, metrics.IssuedRequests);
        Assert.Equal(0, metrics.Merges);
        Assert.Equal([2.0, 1, 0], metrics.QueueDepth.Select(p => p.Y));
        Assert.Equal([0.0, 0.002, 0.003], metrics.QueueDepth.Select(p => Math.Round(p.X, 9)));
        Assert.Equal(8192 / 1e6 / 0.001, metrics.ThroughputMBps.Sum(p => p.Y), 6);
    }

    [Fact]
    public void An_empty_trace_has_no_seeks_and_empty_series()
    {
        TraceMetrics metrics = TraceMetrics.Compute([], Ms);
        Assert.Equal(0, metrics.SeekSectors);
        Assert.Empty(metrics.QueueDepth);
        Assert.Empty(metrics.ThroughputMBps);
        Assert.Equal(0, metrics.MaxQueueDepth);
    }
}
