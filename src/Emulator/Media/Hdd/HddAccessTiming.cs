namespace Hardware.Emulator.Media;

/// <summary>
/// Where the time of one disk access went, in nanoseconds of virtual time.
/// </summary>
/// <param name="Begin">When the mechanism took the access: its start, or later if a previous access held the heads.</param>
/// <param name="SeekNs">Seek plus write settle, or a head switch if that is longer.</param>
/// <param name="RotationNs">Wait for the first sector to come under the head after positioning.</param>
/// <param name="FirstSectorTime">When the first sector's leading edge reached the head.</param>
/// <param name="TransferNs">Time sectors spent passing under the head.</param>
/// <param name="SwitchNs">Head and cylinder switches inside the transfer, with the rotation they waited for.</param>
/// <param name="Completion">When the last sector had passed the head.</param>
public readonly record struct HddAccessTiming(
    long Begin,
    long SeekNs,
    long RotationNs,
    long FirstSectorTime,
    long TransferNs,
    long SwitchNs,
    long Completion)
{
    /// <summary>Seek, settle and rotational latency together: what EstimatePositioning predicts (from Begin).</summary>
    public long PositioningNs => FirstSectorTime - Begin;
}
