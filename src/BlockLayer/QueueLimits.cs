namespace Hardware.BlockLayer;

/// <summary>
/// What a device can take in one request (Linux's struct queue_limits, as /sys/block/X/queue shows it). The
/// driver reports the hardware's limits; the queue never builds a request beyond them.
/// </summary>
public sealed record QueueLimits
{
    public int LogicalBlockSize { get; init; } = 512;

    public int PhysicalBlockSize { get; init; } = 512;

    /// <summary>max_sectors_kb in sectors: Linux's default for a disk is 1280 KiB.</summary>
    public int MaxSectors { get; init; } = 2560;

    /// <summary>What the hardware could take (max_hw_sectors_kb), an upper bound for <see cref="MaxSectors"/>.</summary>
    public int MaxHardwareSectors { get; init; } = 65535;

    public int MaxSegments { get; init; } = 128;

    public int MaxSegmentSize { get; init; } = 65536;

    /// <summary>Tags the driver offers: requests at the device at once.</summary>
    public int QueueDepth { get; init; } = 32;

    /// <summary>
    /// The tags the driver allocates (blk_mq_tag_set.queue_depth), from which nr_requests is sized: a SATA disk without
    /// NCQ takes one command at a time, yet its AHCI host has 32 slots. 0 means <see cref="QueueDepth"/>.
    /// </summary>
    public int TagSetDepth { get; init; }

    public bool Rotational { get; init; }

    /// <summary>The device has a volatile write cache, so flushes matter.</summary>
    public bool WriteCache { get; init; }

    /// <summary>Writes can be forced to the medium one by one.</summary>
    public bool Fua { get; init; }

    /// <summary>Largest discard in sectors; 0 when the device cannot discard.</summary>
    public long MaxDiscardSectors { get; init; }

    public bool ReadOnly { get; init; }
}
