using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// Tunables of the AHCI driver and its error handler. Defaults follow Linux's libata and sd where they have an
/// equivalent; every time is virtual nanoseconds and says so in its name.
/// </summary>
public sealed record AhciDriverOptions
{
    public static AhciDriverOptions Default { get; } = new();

    /// <summary>
    /// Most times one request is issued when its errors look transient (5: libata's ATA_EH_MAX_TRIES, sd's
    /// SD_MAX_RETRIES). Media errors and device faults are never retried.
    /// </summary>
    public int MaxTries { get; init; } = 5;

    /// <summary>IDENTIFY and READ LOG EXT issued by probe and error handling (5 s: ATA_TMOUT_INTERNAL_QUICK).</summary>
    public long InternalCommandTimeoutNs { get; init; } = 5 * SimTime.Second;

    /// <summary>COMRESET released to the device's signature FIS (10 s: the first entry of libata's reset timeout table).</summary>
    public long LinkReadyTimeoutNs { get; init; } = 10 * SimTime.Second;

    /// <summary>How long PxSCTL.DET = 1 is held (1 ms: AHCI 1.3.1 section 10.4.2 asks for at least that).</summary>
    public long ComResetHoldNs { get; init; } = SimTime.Millisecond;

    /// <summary>COMRESETs tried in one recovery before the port is taken offline (3: ATA_EH_DEV_TRIES).</summary>
    public int ResetAttempts { get; init; } = 3;

    /// <summary>PxCMD.CR and FR must drop within this after ST or FRE is cleared (500 ms: AHCI 1.3.1 section 10.1.2).</summary>
    public long EngineStopTimeoutNs { get; init; } = 500 * SimTime.Millisecond;

    /// <summary>Interval at which probe and error handling poll a register they wait on (1 ms).</summary>
    public long PollIntervalNs { get; init; } = SimTime.Millisecond;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InternalCommandTimeoutNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LinkReadyTimeoutNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ComResetHoldNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ResetAttempts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EngineStopTimeoutNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PollIntervalNs);
    }
}
