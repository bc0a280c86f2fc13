using Hardware.Cli.Workloads;

namespace Hardware.Cli.Replay;

/// <summary>
/// A replay's outcome: the run as <c>hwstack run</c> reports it (one job named after the trace), and what is
/// particular to replay - the I/Os replayed, the trace's own time span, the most I/Os that were in flight at once and
/// how late the latest submission was against its (speed-scaled) trace time.
/// </summary>
public sealed record ReplayResult
{
    public required WorkloadResult Workload { get; init; }
    public required ReplayOptions Options { get; init; }
    public long Ios { get; init; }
    public long TraceSpanNs { get; init; }
    public int PeakInFlight { get; init; }
    public long BehindScheduleMaxNs { get; init; }
}
