using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>What to study: the machine (its Scheduler is replaced run by run), the jobs, the elevators, and where to write.</summary>
public sealed record StudyOptions
{
    public required MachineSpec Machine { get; init; }
    public required IReadOnlyList<JobSpec> Jobs { get; init; }
    public required string WorkloadSource { get; init; }
    public required IReadOnlyList<string> Schedulers { get; init; }
    /// <summary>The folder for report.html, results.json and the blktrace files (null: write nothing).</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>Throughput-over-time buckets per run (their width comes from the longest expected runtime).</summary>
    public int ThroughputBuckets { get; init; } = 100;
    /// <summary>Events the in-memory trace holds; the metrics cover the last this many (results.json says how many were lost).</summary>
    public int TraceCapacity { get; init; } = 1 << 20;
}

/// <summary>What a study tells its caller while it runs (a progress bar, or plain lines).</summary>
public interface IStudyProgress
{
    void RunStarted(int index, string scheduler);

    /// <summary>The share of the current run done, or null when it cannot be known.</summary>
    void RunProgress(double? share);

    void RunFinished(int index, RunMetrics run);
}
