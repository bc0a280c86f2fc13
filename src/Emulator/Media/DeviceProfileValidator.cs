using System.Globalization;

namespace Hardware.Emulator.Media;

/// <summary>
/// Range checks on a profile, naming fields by their JSON path (e.g. "hdd.rpm"). Whatever passes here builds a
/// working model, except for combinations only the model can judge (a seek curve that cannot fit), which
/// <see cref="MediaModels.TryCreate"/> reports.
/// </summary>
public static class DeviceProfileValidator
{
    public static bool TryValidate(DeviceProfile profile, out string error)
    {
        var errors = new List<string>();
        Check(errors, profile);
        error = string.Join("; ", errors);
        return errors.Count == 0;
    }

    private static void Check(List<string> errors, DeviceProfile p)
    {
        if (string.IsNullOrEmpty(p.Name) || p.Name.Length > 64 || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add($"field 'name' = \"{p.Name}\" must be 1-64 characters of letters, digits, '-', '_' or '.'");
        if (!MediaModels.Kinds.Contains(p.Kind))
            errors.Add($"field 'kind' = \"{p.Kind}\" is not a known kind (expected {string.Join(", ", MediaModels.Kinds)})");
        AtaString(errors, "model", p.Model, 40);
        AtaString(errors, "serial", p.Serial, 20);
        AtaString(errors, "firmware", p.Firmware, 8);

        if (p.LogicalSectorSize is not (512 or 4096))
            errors.Add($"field 'logicalSectorSize' = {p.LogicalSectorSize} must be 512 or 4096");
        else
        {
            if (p.PhysicalSectorSize < p.LogicalSectorSize || p.PhysicalSectorSize > 65536 || (p.PhysicalSectorSize & (p.PhysicalSectorSize - 1)) != 0)
                errors.Add($"field 'physicalSectorSize' = {p.PhysicalSectorSize} must be a power of two from logicalSectorSize ({p.LogicalSectorSize}) to 65536");
            if (p.CapacityBytes < 1 << 20 || p.CapacityBytes % p.LogicalSectorSize != 0 || p.CapacityBytes / p.LogicalSectorSize >= 1L << 48)
                errors.Add($"field 'capacityBytes' = {p.CapacityBytes} must be a multiple of logicalSectorSize, at least 1 MiB and below 2^48 sectors");
        }
        Range(errors, "ncqDepth", p.NcqDepth, 0, 32);
        Range(errors, "linkGeneration", p.LinkGeneration, 1, 3);
        Range(errors, "cacheBytes", p.CacheBytes, 0, 4L << 30);
        Range(errors, "cacheSegments", p.CacheSegments, 1, 1024);
        Range(errors, "readAheadBytes", p.ReadAheadBytes, 0, Math.Max(0, p.CacheBytes));
        Range(errors, "commandOverheadUs", p.CommandOverheadUs, 0, 100_000);

        Section(errors, "hdd", p.Hdd is not null, p.Kind == "hdd", required: true);
        Section(errors, "ssd", p.Ssd is not null, p.Kind == "ssd", required: true);
        Section(errors, "ram", p.Ram is not null, p.Kind == "ram", required: false);
        if (p.Kind == "hdd" && p.Hdd is { } hdd) CheckHdd(errors, hdd);
        if (p.Kind == "ssd" && p.Ssd is { } ssd) CheckSsd(errors, ssd, p.LogicalSectorSize);
        if (p.Kind == "ram" && p.Ram is { } ram)
        {
            Range(errors, "ram.latencyUs", ram.LatencyUs, 0, 10_000_000);
            Range(errors, "ram.bandwidthMBps", ram.BandwidthMBps, 0, 10_000_000);
        }
    }

    private static void CheckHdd(List<string> errors, HddParameters h)
    {
        Range(errors, "hdd.rpm", h.Rpm, 1000, 30_000);
        Range(errors, "hdd.heads", h.Heads, 1, 64);
        Range(errors, "hdd.zones", h.Zones, 1, 1024);
        Range(errors, "hdd.trackToTrackMs", h.TrackToTrackMs, 0.01, 100);
        Range(errors, "hdd.avgSeekMs", h.AvgSeekMs, 0.01, 1000);
        Range(errors, "hdd.fullStrokeMs", h.FullStrokeMs, 0.01, 1000);
        if (h.TrackToTrackMs >= h.AvgSeekMs)
            errors.Add($"field 'hdd.trackToTrackMs' = {F(h.TrackToTrackMs)} must be below hdd.avgSeekMs ({F(h.AvgSeekMs)})");
        if (h.AvgSeekMs >= h.FullStrokeMs)
            errors.Add($"field 'hdd.avgSeekMs' = {F(h.AvgSeekMs)} must be below hdd.fullStrokeMs ({F(h.FullStrokeMs)})");
        Range(errors, "hdd.writeSettleMs", h.WriteSettleMs, 0, 100);
        Range(errors, "hdd.sustainedOuterMBps", h.SustainedOuterMBps, 0.1, 10_000);
        Range(errors, "hdd.sustainedInnerMBps", h.SustainedInnerMBps, 0.1, Math.Max(0.1, h.SustainedOuterMBps));
        if (h.Rpm > 0)
        {
            double revolutionMs = 60_000.0 / h.Rpm;
            Range(errors, "hdd.headSwitchMs", h.HeadSwitchMs, 0, revolutionMs * 0.9);
            if (h.TrackToTrackMs + h.WriteSettleMs >= revolutionMs * 0.9)
                errors.Add($"fields 'hdd.trackToTrackMs' + 'hdd.writeSettleMs' = {F(h.TrackToTrackMs + h.WriteSettleMs)} ms must stay below 0.9 revolution ({F(revolutionMs * 0.9)} ms) so cylinder skew can hide it");
        }
    }

    private static void CheckSsd(List<string> errors, SsdParameters s, int logicalSectorSize)
    {
        Range(errors, "ssd.channels", s.Channels, 1, 64);
        Range(errors, "ssd.diesPerChannel", s.DiesPerChannel, 1, 64);
        if (s.PageBytes < logicalSectorSize || s.PageBytes > 1 << 20 || (s.PageBytes & (s.PageBytes - 1)) != 0)
            errors.Add($"field 'ssd.pageBytes' = {s.PageBytes} must be a power of two from logicalSectorSize ({logicalSectorSize}) to 1048576");
        Range(errors, "ssd.readUs", s.ReadUs, 0.001, 100_000);
        Range(errors, "ssd.programUs", s.ProgramUs, 0.001, 1_000_000);
        Range(errors, "ssd.channelMBps", s.ChannelMBps, 0.1, 100_000);
        Range(errors, "ssd.controllerReadUs", s.ControllerReadUs, 0, 100_000);
        Range(errors, "ssd.controllerWriteUs", s.ControllerWriteUs, 0, 100_000);
    }

    private static void Section(List<string> errors, string name, bool present, bool expected, bool required)
    {
        if (present && !expected) errors.Add($"section '{name}' does not belong to this kind");
        if (!present && expected && required) errors.Add($"section '{name}' is missing");
    }

    private static void AtaString(List<string> errors, string field, string value, int maxLength)
    {
        if (value is null || value.Length > maxLength || !value.All(c => c is >= ' ' and <= '~'))
            errors.Add($"field '{field}' = \"{value}\" must be at most {maxLength} printable ASCII characters");
    }

    private static void Range(List<string> errors, string field, long value, long min, long max)
    {
        if (value < min || value > max) errors.Add($"field '{field}' = {value} is out of range ({min}..{max})");
    }

    private static void Range(List<string> errors, string field, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) errors.Add($"field '{field}' = {F(value)} is out of range ({F(min)}..{F(max)})");
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
