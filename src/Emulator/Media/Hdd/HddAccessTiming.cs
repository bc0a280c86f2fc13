namespace Hardware.Emulator.Media;

/// <summary>
/// Where the time of one disk access went, in nanoseconds of virtual time. <see cref="Begin"/> is when the mechanism
/// took the access (its start, or later if a previous access still held the heads).
/// </summary>
public readonly record struct HddAccessTiming(
    long Begin,
    long SeekNs,
    long RotationNs,
    long FirstSectorTime,
    long TransferNs,
    long SwitchNs,
    long Completion)
{
    /// <summary>Seek (or head switch) plus settle plus rotational latency: what EstimatePositioning predicts.</summary>
    public long PositioningNs => FirstSectorTime - Begin;
}
