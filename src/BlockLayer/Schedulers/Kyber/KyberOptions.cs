using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Schedulers;

/// <summary>Kyber's latency targets with Linux's defaults (block/kyber-iosched.c: kyber_latency_targets).</summary>
public sealed record KyberOptions
{
    /// <summary>read_lat_nsec.</summary>
    public long ReadLatencyTarget { get; init; } = 2 * SimTime.Millisecond;

    /// <summary>write_lat_nsec.</summary>
    public long WriteLatencyTarget { get; init; } = 10 * SimTime.Millisecond;

    /// <summary>Fixed in Linux (no sysfs file); a tunable here.</summary>
    public long DiscardLatencyTarget { get; init; } = 5 * SimTime.Second;
}
