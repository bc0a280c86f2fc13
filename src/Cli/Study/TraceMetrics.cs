using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;

namespace Hardware.Cli.Study;

/// <summary>
/// What a block trace of one run says about the disk: how far the head was sent, how much the queue merged, and
/// queue depth, head position and throughput over time. Times in the series are seconds of virtual time since the
/// first traced event.
/// </summary>
public sealed record TraceMetrics
{
    /// <summary>Sum of |start of a data request - end of the data request issued before it|, in sectors.</summary>
    public required long SeekSectors { get; init; }

    /// <summary>Data requests issued to the driver (reads, writes, discards; flushes do not move the head).</summary>
    public required long IssuedRequests { get; init; }

    /// <summary>Issued data requests that did not start where the previous one ended.</summary>
    public required long Seeks { get; init; }

    /// <summary>Bios merged into a queued request, front or back (blktrace M and F events).</summary>
    public required long Merges { get; init; }

    /// <summary>Requests at the driver (issued, not yet completed or requeued) after each change.</summary>
    public required IReadOnlyList<SeriesPoint> QueueDepth { get; init; }

    /// <summary>The start sector of each issued data request.</summary>
    public required IReadOnlyList<SeriesPoint> HeadPosition { get; init; }

    /// <summary>Bytes completed per bucket, as MB/s (10^6 bytes), one point at the middle of each bucket.</summary>
    public required IReadOnlyList<SeriesPoint> ThroughputMBps { get; init; }

    /// <summary>The longest queue depth seen.</summary>
    public int MaxQueueDepth => QueueDepth.Count == 0 ? 0 : (int)QueueDepth.Max(p => p.Y);

    /// <summary>
    /// Computes the metrics from events in time order (MemoryTracer.ToArray()). <paramref name="bucketNs"/> is the
    /// width of a throughput bucket; pass the same width for runs that are compared on one chart. Events before
    /// <paramref name="windowStartNs"/> (booting, mkfs, laying files out) only set the scene: they move the head and
    /// fill the queue but are not counted, and series times count from the window's start (from the first event when
    /// it is null).
    /// </summary>
    public static TraceMetrics Compute(ReadOnlySpan<BlockTraceEvent> events, long bucketNs, long? windowStartNs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketNs, 1);
        long origin = windowStartNs ?? (events.Length == 0 ? 0 : events[0].Time);
        long seekSectors = 0, issued = 0, seeks = 0, merges = 0;
        long previousEnd = -1;
        int depth = 0;
        var queueDepth = new List<SeriesPoint>();
        var head = new List<SeriesPoint>();
        var bucketBytes = new List<long>();

        foreach (ref readonly BlockTraceEvent e in events)
        {
            bool counted = e.Time >= origin;
            double seconds = (e.Time - origin) / 1e9;
            switch (e.Action)
            {
                case BlockTraceAction.Issue:
                    depth++;
                    if (counted)
                        queueDepth.Add(new SeriesPoint(seconds, depth));
                    if (!MovesHead(e))
                        break;
                    if (counted)
                    {
                        issued++;
                        head.Add(new SeriesPoint(seconds, e.Sector));
                        if (previousEnd >= 0 && e.Sector != previousEnd)
                        {
                            seeks++;
                            seekSectors += Math.Abs(e.Sector - previousEnd);
                        }
                    }
                    previousEnd = e.Sector + e.Bytes / Bio.SectorSize;
                    break;
                case BlockTraceAction.Complete:
                case BlockTraceAction.Requeue:
                    if (depth == 0)
                        break; // a completion of a request issued before the trace began
                    depth--;
                    if (!counted)
                        break;
                    queueDepth.Add(new SeriesPoint(seconds, depth));
                    if (e.Action == BlockTraceAction.Complete)
                        AddBytes(bucketBytes, (e.Time - origin) / bucketNs, e.Bytes);
                    break;
                case BlockTraceAction.BackMerge:
                case BlockTraceAction.FrontMerge:
                    if (counted)
                        merges++;
                    break;
            }
        }

        return new TraceMetrics
        {
            SeekSectors = seekSectors,
            IssuedRequests = issued,
            Seeks = seeks,
            Merges = merges,
            QueueDepth = queueDepth,
            HeadPosition = head,
            ThroughputMBps = Throughput(bucketBytes, bucketNs),
        };
    }

    private static bool MovesHead(in BlockTraceEvent e) =>
        e.Op is BioOp.Read or BioOp.Write or BioOp.Discard && e.Bytes > 0;

    private static void AddBytes(List<long> buckets, long bucket, int bytes)
    {
        while (buckets.Count <= bucket)
            buckets.Add(0);
        buckets[(int)bucket] += bytes;
    }

    private static List<SeriesPoint> Throughput(List<long> bucketBytes, long bucketNs)
    {
        double bucketSeconds = bucketNs / 1e9;
        var points = new List<SeriesPoint>(bucketBytes.Count);
        for (int i = 0; i < bucketBytes.Count; i++)
            points.Add(new SeriesPoint((i + 0.5) * bucketSeconds, bucketBytes[i] / 1e6 / bucketSeconds));
        return points;
    }
}
