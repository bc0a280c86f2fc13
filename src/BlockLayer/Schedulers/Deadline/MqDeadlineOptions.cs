using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// mq-deadline's tunables with Linux's defaults (block/mq-deadline.c: read_expire HZ/2, write_expire 5*HZ,
/// writes_starved 2, fifo_batch 16, front_merges 1).
/// </summary>
public sealed record MqDeadlineOptions
{
    /// <summary>How long a read may wait before it is served ahead of sector order.</summary>
    public long ReadExpire { get; init; } = 500 * SimTime.Millisecond;

    /// <summary>How long a write may wait before it is served ahead of sector order.</summary>
    public long WriteExpire { get; init; } = 5 * SimTime.Second;

    /// <summary>Read batches that may be chosen while writes wait before a write batch must be.</summary>
    public int WritesStarved { get; init; } = 2;

    /// <summary>Requests issued in sector order in one batch before expiry and direction are reconsidered.</summary>
    public int FifoBatch { get; init; } = 16;

    /// <summary>Whether bios may be merged at the front of a held request.</summary>
    public bool FrontMerges { get; init; } = true;
}
