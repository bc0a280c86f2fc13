namespace Hardware.Emulator.Media;

/// <summary>
/// One recording zone: a band of cylinders with the same sectors per track, and the skews that let a sequential
/// transfer switch head or cylinder without waiting a revolution.
/// </summary>
public sealed record HddZone
{
    public required int Index { get; init; }

    /// <summary>Global index of the zone's outermost cylinder.</summary>
    public required int FirstCylinder { get; init; }

    /// <summary>Cylinders holding addressable sectors (the last zone may end part way into its final cylinder).</summary>
    public required int Cylinders { get; init; }

    public required long FirstLba { get; init; }

    /// <summary>Addressable sectors in the zone.</summary>
    public required long SectorCount { get; init; }

    public required int SectorsPerTrack { get; init; }

    /// <summary>Time one sector takes to pass under the head.</summary>
    public required double SectorTimeNs { get; init; }

    /// <summary>Angular offset, in sectors, of each track relative to the previous track of the same cylinder.</summary>
    public required int HeadSkewSectors { get; init; }

    /// <summary>Angular offset, in sectors, of a cylinder's first track relative to the previous cylinder's last track.</summary>
    public required int CylinderSkewSectors { get; init; }

    /// <summary>Angular position, in sectors, of sector 0 on the zone's first track.</summary>
    public required int BaseOffsetSectors { get; init; }

    /// <summary>Raw rate while the head reads one track, decimal MB/s.</summary>
    public required double MediaRateMBps { get; init; }

    /// <summary>Sequential rate including head and cylinder switches (what the datasheet's "sustained" means).</summary>
    public required double SustainedRateMBps { get; init; }

    public long EndLba => FirstLba + SectorCount;

    /// <summary>Rotation of the track start from one cylinder to the next: all head skews plus the cylinder skew.</summary>
    internal long CylinderAdvanceSectors(int heads) => (long)(heads - 1) * HeadSkewSectors + CylinderSkewSectors;
}

/// <summary>Physical place of a sector: zone, global cylinder, head (surface) and sector within the track.</summary>
public readonly record struct HddAddress(int Zone, int Cylinder, int Head, int Sector);
