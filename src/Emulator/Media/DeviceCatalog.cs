using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hardware.Emulator.Media;

/// <summary>
/// One device as a catalog shows it (e.g. <c>hwstack devices --json</c>): its profile figures plus what the model
/// derives from them. Disk-only, flash-only and RAM-only fields are null for other kinds and left out of JSON.
/// </summary>
public sealed record DeviceCatalogEntry
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string Description { get; init; }
    public required string Model { get; init; }
    public required long CapacityBytes { get; init; }
    public required int LogicalSectorSize { get; init; }
    public required int PhysicalSectorSize { get; init; }
    /// <summary>IDENTIFY word 217: revolutions per minute, or 1 for non-rotating media.</summary>
    public required int NominalRotationRate { get; init; }
    public required long CacheBytes { get; init; }
    public required int CacheSegments { get; init; }
    public required long ReadAheadBytes { get; init; }
    public required int NcqDepth { get; init; }
    public required int LinkGeneration { get; init; }
    public required double CommandOverheadUs { get; init; }
    public required bool WriteCacheEnabled { get; init; }
    public required bool SupportsTrim { get; init; }

    // Disks (kind "hdd").
    public int? Rpm { get; init; }
    public double? AvgSeekMs { get; init; }
    public double? TrackToTrackMs { get; init; }
    public double? FullStrokeMs { get; init; }
    public double? WriteSettleMs { get; init; }
    /// <summary>Sustained rate of the outer zone, decimal MB/s.</summary>
    public double? SustainedMBps { get; init; }
    public double? SustainedInnerMBps { get; init; }
    /// <summary>Raw media rate while reading one outer-zone track (no switches).</summary>
    public double? MediaRateOuterMBps { get; init; }
    public double? MediaRateInnerMBps { get; init; }
    public double? AvgRotationalLatencyMs { get; init; }
    public double? HeadSwitchMs { get; init; }
    public int? Heads { get; init; }
    public int? Zones { get; init; }
    public int? Cylinders { get; init; }
    public int? SectorsPerTrackOuter { get; init; }
    public int? SectorsPerTrackInner { get; init; }
    /// <summary>Seek distance (cylinders) where the seek curve turns from square root to linear.</summary>
    public long? SeekCurveBoundary { get; init; }

    // Flash (kind "ssd").
    public int? Channels { get; init; }
    public int? DiesPerChannel { get; init; }
    public int? PageBytes { get; init; }
    public double? ReadUs { get; init; }
    public double? ProgramUs { get; init; }
    public double? ChannelMBps { get; init; }
    public double? ControllerReadUs { get; init; }
    public double? ControllerWriteUs { get; init; }

    // RAM (kind "ram").
    public double? LatencyUs { get; init; }
    /// <summary>0 means unlimited.</summary>
    public double? BandwidthMBps { get; init; }
}

/// <summary>Catalog views of device profiles, for listings and reports.</summary>
public static class DeviceCatalog
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The built-in presets, in <see cref="DevicePresets.All"/> order.</summary>
    public static IReadOnlyList<DeviceCatalogEntry> DescribeAll() => DevicePresets.All.Select(Describe).ToList();

    /// <summary>Figures of a valid profile; builds its model for the derived ones (geometry, seek curve).</summary>
    public static DeviceCatalogEntry Describe(DeviceProfile profile)
    {
        IMediaModel model = MediaModels.Create(profile);
        var entry = new DeviceCatalogEntry
        {
            Name = profile.Name,
            Kind = profile.Kind,
            Description = profile.Description,
            Model = profile.Model,
            CapacityBytes = profile.CapacityBytes,
            LogicalSectorSize = profile.LogicalSectorSize,
            PhysicalSectorSize = profile.PhysicalSectorSize,
            NominalRotationRate = model.NominalRotationRate,
            CacheBytes = profile.CacheBytes,
            CacheSegments = profile.CacheSegments,
            ReadAheadBytes = profile.ReadAheadBytes,
            NcqDepth = profile.NcqDepth,
            LinkGeneration = profile.LinkGeneration,
            CommandOverheadUs = profile.CommandOverheadUs,
            WriteCacheEnabled = profile.WriteCacheEnabled,
            SupportsTrim = profile.SupportsTrim,
        };
        return model switch
        {
            HddMedia hdd => WithDisk(entry, profile.Hdd!, hdd),
            _ when profile.Ssd is { } ssd => entry with
            {
                Channels = ssd.Channels,
                DiesPerChannel = ssd.DiesPerChannel,
                PageBytes = ssd.PageBytes,
                ReadUs = ssd.ReadUs,
                ProgramUs = ssd.ProgramUs,
                ChannelMBps = ssd.ChannelMBps,
                ControllerReadUs = ssd.ControllerReadUs,
                ControllerWriteUs = ssd.ControllerWriteUs,
            },
            _ => entry with
            {
                LatencyUs = profile.Ram?.LatencyUs ?? 0,
                BandwidthMBps = profile.Ram?.BandwidthMBps ?? 0,
            },
        };
    }

    public static string ToJson(IEnumerable<DeviceCatalogEntry> entries) => JsonSerializer.Serialize(entries, Options);

    private static DeviceCatalogEntry WithDisk(DeviceCatalogEntry entry, HddParameters h, HddMedia hdd)
    {
        HddGeometry geometry = hdd.Geometry;
        return entry with
        {
            Rpm = h.Rpm,
            AvgSeekMs = h.AvgSeekMs,
            TrackToTrackMs = h.TrackToTrackMs,
            FullStrokeMs = h.FullStrokeMs,
            WriteSettleMs = h.WriteSettleMs,
            SustainedMBps = h.SustainedOuterMBps,
            SustainedInnerMBps = h.SustainedInnerMBps,
            MediaRateOuterMBps = Math.Round(geometry.Zones[0].MediaRateMBps, 2),
            MediaRateInnerMBps = Math.Round(geometry.Zones[^1].MediaRateMBps, 2),
            AvgRotationalLatencyMs = Math.Round(geometry.RevolutionNs / 2e6, 3),
            HeadSwitchMs = h.HeadSwitchMs,
            Heads = geometry.Heads,
            Zones = geometry.Zones.Count,
            Cylinders = geometry.Cylinders,
            SectorsPerTrackOuter = geometry.Zones[0].SectorsPerTrack,
            SectorsPerTrackInner = geometry.Zones[^1].SectorsPerTrack,
            SeekCurveBoundary = hdd.SeekCurve.Boundary,
        };
    }
}
