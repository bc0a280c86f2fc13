using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>Everything the study reports about one run (one elevator over the workload).</summary>
public sealed record RunMetrics
{
    /// <summary>The elevator spec the run used (a name, or a name with tunables).</summary>
    public required string Scheduler { get; init; }
    public required IReadOnlyList<JobMetrics> Jobs { get; init; }
    public required TraceMetrics Trace { get; init; }
    public required LatencySummary ReadLatency { get; init; }
    public required LatencySummary WriteLatency { get; init; }
    /// <summary>The distribution of all reads of the run (the chart's CDF).</summary>
    public required IReadOnlyList<SeriesPoint> ReadLatencyCdf { get; init; }
    /// <summary>Jain's index over the jobs' IOPS (see <see cref="JainFairness"/>).</summary>
    public required double JainIndex { get; init; }
    /// <summary>The disk's size in sectors, the scale of <see cref="SeekDiskShare"/>.</summary>
    public required long CapacitySectors { get; init; }
    public double VirtualSeconds { get; init; }
    public double WallSeconds { get; init; }
    public long Events { get; init; }
    public long Errors { get; init; }
    public string? FirstError { get; init; }
    /// <summary>The blktrace file of the run, relative to the study's output folder (null when none was written).</summary>
    public string? TraceFile { get; init; }
    public long TraceEvents { get; init; }
    /// <summary>Events the in-memory trace lost to its ring (0 unless the run outgrew it; metrics then cover the tail).</summary>
    public long TraceEventsLost { get; init; }

    /// <summary>Total seek distance in units of the whole disk (1 = one full stroke's worth of sectors).</summary>
    public double SeekDiskShare => CapacitySectors == 0 ? 0 : (double)Trace.SeekSectors / CapacitySectors;

    /// <summary>
    /// The run's figures. The trace is measured from the first counted submission on (<see cref="TraceMetrics.Compute"/>):
    /// what the disk did while the jobs ran, not while the machine booted and laid their files out.
    /// </summary>
    public static RunMetrics Compute(string scheduler, IReadOnlyList<IoCompletion> completions, ReadOnlySpan<BlockTraceEvent> trace,
        IReadOnlyList<string> jobOrder, long bucketNs, long capacitySectors)
    {
        long? windowStart = completions.Count == 0 ? null : completions.Min(c => c.SubmittedNs);
        IReadOnlyList<JobMetrics> jobs = JobMetrics.Compute(completions, jobOrder);
        long[] reads = completions.Where(c => c.IsRead).Select(c => c.CompletedNs - c.SubmittedNs).Order().ToArray();
        long[] writes = completions.Where(c => !c.IsRead).Select(c => c.CompletedNs - c.SubmittedNs).Order().ToArray();
        return new RunMetrics
        {
            Scheduler = scheduler,
            Jobs = jobs,
            Trace = TraceMetrics.Compute(trace, bucketNs, windowStart),
            ReadLatency = LatencySummary.FromSorted(reads),
            WriteLatency = LatencySummary.FromSorted(writes),
            ReadLatencyCdf = LatencyCdf.FromSorted(reads),
            JainIndex = JainFairness.Index(jobs.Select(j => j.Iops).ToArray()),
            CapacitySectors = capacitySectors,
            TraceEvents = trace.Length,
        };
    }
}
