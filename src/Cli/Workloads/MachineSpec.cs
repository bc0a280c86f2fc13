namespace Hardware.Cli.Workloads;

/// <summary>What jobs run on when no filesystem is named (raw block devices), or which filesystem is mounted.</summary>
public enum FileSystemKind
{
    None,
    Ext2,
    RamFs,
}

/// <summary>
/// The machine a workload runs on: a device model (preset name or JSON file) behind AHCI, an elevator spec, an
/// optional filesystem mounted for the jobs' files, the backing store (a sparse in-memory disk unless an image file
/// is named) and the seed every random stream derives from.
/// </summary>
public sealed record MachineSpec
{
    public string Device { get; init; } = "hdd-7200";
    public string Scheduler { get; init; } = "mq-deadline";
    public FileSystemKind FileSystem { get; init; } = FileSystemKind.None;
    /// <summary>A raw image file used as the drive's medium (null: a sparse in-memory store).</summary>
    public string? ImagePath { get; init; }
    /// <summary>The disk's size when no image is named (the device model may require a minimum).</summary>
    public long CapacityBytes { get; init; } = 16L << 30;
    public ulong Seed { get; init; } = 1;
    /// <summary>The queue's nr_requests (null: Linux's default for the scheduler); at least 4.</summary>
    public int? NrRequests { get; init; }

    /// <summary>Why <paramref name="nrRequests"/> cannot be a queue's nr_requests, or null when it can.</summary>
    public static string? NrRequestsError(int? nrRequests) => nrRequests is < Hardware.BlockLayer.RequestQueue.MinRequests
        ? $"--nr-requests {nrRequests}: a queue holds at least {Hardware.BlockLayer.RequestQueue.MinRequests} requests (BLKDEV_MIN_RQ)"
        : null;
    /// <summary>
    /// Virtual CPU time of one read or write system call (entry, page-cache lookup, exit). The hardware below is timed
    /// by its models, but the host code's CPU time is not virtual time: without this cost a cached or ramfs I/O would
    /// take no time at all and a time_based job on it would never end. Must be positive.
    /// </summary>
    public long SyscallCostNs { get; init; } = 1_000;
    /// <summary>Virtual CPU time per byte a buffered read or write copies between the caller and the page cache (10 GB/s).</summary>
    public double CopyCostNsPerByte { get; init; } = 0.1;
}
