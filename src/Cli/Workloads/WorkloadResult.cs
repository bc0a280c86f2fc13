namespace Hardware.Cli.Workloads;

/// <summary>
/// Latency figures of one kind (slat, clat or lat), in nanoseconds, with fio's percentile keys ("99.000000").
/// </summary>
public sealed record LatencyStats(long Min, long Max, double Mean, double StdDev, long Count, IReadOnlyDictionary<string, long> Percentiles);

/// <summary>One direction (read or write) of a job, with fio's JSON field meanings.</summary>
public sealed record DirectionStats
{
    public long IoBytes { get; init; }
    /// <summary>bw_bytes: bytes per second of virtual time.</summary>
    public long BandwidthBytes { get; init; }
    public double Iops { get; init; }
    /// <summary>runtime in milliseconds of virtual time.</summary>
    public long RuntimeMs { get; init; }
    public long TotalIos { get; init; }
    public required LatencyStats Slat { get; init; }
    public required LatencyStats Clat { get; init; }
    public required LatencyStats Lat { get; init; }
}

/// <summary>One job's outcome (all its clones together, as fio's group reporting).</summary>
public sealed record JobResult
{
    public required string Name { get; init; }
    public required JobSpec Spec { get; init; }
    public required DirectionStats Read { get; init; }
    public required DirectionStats Write { get; init; }
    public long Errors { get; init; }
    /// <summary>The first error, naming the path or device and the errno, or null.</summary>
    public string? FirstError { get; init; }
    /// <summary>The first error's errno number (fio's "error"), 0 without error.</summary>
    public int FirstErrno { get; init; }
    /// <summary>fio's "sync" figures: the latency of each fsync/fdatasync the job issued.</summary>
    public LatencyStats? Sync { get; init; }
    /// <summary>fio's reporting group: the number of stonewalls before the job.</summary>
    public int GroupId { get; init; }
}

/// <summary>A run of a set of jobs on one machine: the jobs' results and what the run cost.</summary>
public sealed record WorkloadResult
{
    public required IReadOnlyList<JobResult> Jobs { get; init; }
    public required string Device { get; init; }
    public required string Scheduler { get; init; }
    /// <summary>The disk queue's nr_requests during the run (the default for the scheduler unless one was given).</summary>
    public int NrRequests { get; init; }
    public double VirtualSeconds { get; init; }
    public double WallSeconds { get; init; }
    public long Events { get; init; }
    /// <summary>fio's log files the jobs asked for (write_lat_log and friends), for the command to write.</summary>
    public IReadOnlyList<Fio.FioLogFile> Logs { get; init; } = [];
}
