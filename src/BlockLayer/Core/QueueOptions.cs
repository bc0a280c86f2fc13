using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer;

/// <summary>
/// Tunables of a <see cref="RequestQueue"/>, with Linux's defaults. Times are virtual nanoseconds.
/// </summary>
public sealed record QueueOptions
{
    public static QueueOptions Default { get; } = new();

    /// <summary>
    /// A process's plug is flushed when a new request arrives and the plug already holds this many (BLK_MAX_REQUEST_COUNT).
    /// </summary>
    public int PlugMaxRequests { get; init; } = 32;

    /// <summary>
    /// ... or when the newest plugged request has grown to this many bytes (BLK_PLUG_FLUSH_SIZE = 128 KiB). As in Linux
    /// the test is on the last request, which merging keeps growing, not on the plug's total.
    /// </summary>
    public long PlugMaxBytes { get; init; } = 128 * 1024;

    /// <summary>
    /// When set, a plug is also flushed this long after its first request (the unplug timer of pre-blk-mq kernels,
    /// 3 ms there). Null, the blk-mq behaviour: only thresholds, an explicit finish or the process waiting flush it.
    /// </summary>
    public long? UnplugTimerNs { get; init; }

    /// <summary>How long a request may stay at the device before the driver's timeout handler runs (30 s, like SCSI disks).</summary>
    public long TimeoutNs { get; init; } = 30 * SimTime.Second;

    /// <summary>
    /// Requeues a request may take before the queue gives up with EIO. Retry policy is the driver's (it counts
    /// <see cref="Request.Retries"/> for the request it blames and fails it itself, as libata does); this bound only
    /// stops a driver that requeues without end, so it sits well above any driver's own limit.
    /// </summary>
    public int MaxRequeues { get; init; } = 64;

    /// <summary>Merge bios into requests at all (false is sysfs nomerges=2).</summary>
    public bool Merges { get; init; } = true;

    /// <summary>Try front merges (a bio that ends where a request starts) besides back merges.</summary>
    public bool FrontMerges { get; init; } = true;

    /// <summary>
    /// When the driver answers "busy" with nothing in flight (so no completion will restart the queue), the queue
    /// retries after this delay (BLK_MQ_RESOURCE_DELAY, 3 ms).
    /// </summary>
    public long BusyRetryDelayNs { get; init; } = 3 * SimTime.Millisecond;

    /// <summary>
    /// nr_requests for the queue as it is made (null: Linux's default for the scheduler, see
    /// <see cref="RequestQueue.NrRequests"/>). Attaching another scheduler later sizes it anew, as Linux does.
    /// </summary>
    public int? NrRequests { get; init; }

    internal void Validate()
    {
        if (NrRequests is { } requests)
            ArgumentOutOfRangeException.ThrowIfLessThan(requests, RequestQueue.MinRequests, nameof(NrRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(PlugMaxRequests, 1, nameof(PlugMaxRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(PlugMaxBytes, Bio.SectorSize, nameof(PlugMaxBytes));
        if (UnplugTimerNs is { } unplug)
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unplug, nameof(UnplugTimerNs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TimeoutNs, nameof(TimeoutNs));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRequeues, nameof(MaxRequeues));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BusyRetryDelayNs, nameof(BusyRetryDelayNs));
    }
}
