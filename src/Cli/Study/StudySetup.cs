using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>What a study ran: the machine (each run changes only its elevator), the jobs and where they came from.</summary>
public sealed record StudySetup
{
    public required MachineSpec Machine { get; init; }
    /// <summary>The device as a sentence for the report (preset name, kind, rpm, NCQ depth).</summary>
    public required string DeviceSummary { get; init; }
    /// <summary>The disk's size in sectors (the scale of head positions and seek shares).</summary>
    public required long CapacitySectors { get; init; }
    public required IReadOnlyList<string> Schedulers { get; init; }
    public required IReadOnlyList<JobSpec> Jobs { get; init; }
    /// <summary>"built-in default workload" or the job file's path.</summary>
    public required string WorkloadSource { get; init; }
    /// <summary>The width of a throughput bucket, the same for every run.</summary>
    public required long BucketNs { get; init; }
}

/// <summary>A finished study: its setup and one <see cref="RunMetrics"/> per elevator, in the order run.</summary>
public sealed record StudyResult(StudySetup Setup, IReadOnlyList<RunMetrics> Runs, double WallSeconds);
