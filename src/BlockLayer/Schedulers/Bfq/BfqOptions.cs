using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// BFQ's sysfs tunables with Linux's defaults (block/bfq-iosched.c: bfq_slice_idle NSEC_PER_SEC/125,
/// bfq_timeout HZ/8, bfq_back_max 16*1024 KiB, bfq_back_penalty 2, bfq_fifo_expire {NSEC_PER_SEC/4,
/// NSEC_PER_SEC/8} for async/sync, low_latency 1, max_budget autotuned from 16*1024 sectors).
/// </summary>
public sealed record BfqOptions
{
    /// <summary>How long an empty sync queue keeps the device waiting for its next request.</summary>
    public long SliceIdle { get; init; } = 8 * SimTime.Millisecond;

    /// <summary>Longest service slot of a queue (timeout_sync; BFQ uses it for every queue).</summary>
    public long TimeoutSync { get; init; } = 125 * SimTime.Millisecond;

    /// <summary>Largest budget in sectors; 0 autotunes it from the measured peak rate.</summary>
    public int MaxBudget { get; init; }

    /// <summary>Farthest backward seek taken without wrapping, in KiB.</summary>
    public int BackSeekMaxKiB { get; init; } = 16 * 1024;

    /// <summary>Cost multiplier of a backward seek against a forward one.</summary>
    public int BackSeekPenalty { get; init; } = 2;

    /// <summary>Age after which a sync request is served ahead of sector order (once per slot).</summary>
    public long FifoExpireSync { get; init; } = 125 * SimTime.Millisecond;

    /// <summary>Age after which an async request is served ahead of sector order (once per slot).</summary>
    public long FifoExpireAsync { get; init; } = 250 * SimTime.Millisecond;

    /// <summary>Weight raising for interactive and soft real-time queues.</summary>
    public bool LowLatency { get; init; } = true;
}
