namespace Hardware.Emulator.Media;

/// <summary>
/// A rotating disk with one actuator: zoned geometry, a calibrated Ruemmler-Wilkes seek curve, rotational position
/// as a function of virtual time (the platter is at angle (t mod revolution) / revolution, phase 0 at t = 0), head
/// and cylinder switches absorbed by track and cylinder skew. Accesses are served one at a time; an access that
/// starts while the previous one still holds the heads begins when that one completes.
/// </summary>
public sealed class HddMedia : IMediaModel
{
    // A start that lands this close after a sector's leading edge still catches it: virtual times are rounded to
    // whole nanoseconds, and a back-to-back sequential access must not lose a revolution to that rounding.
    private const double CatchToleranceNs = 2.0;

    private readonly long _writeSettleNs;
    private readonly double _revolutionNs;
    private int _cylinder;
    private int _head;
    private long _busyUntil;

    private HddMedia(DeviceProfile profile, HddGeometry geometry, SeekCurve seekCurve)
    {
        Profile = profile;
        Geometry = geometry;
        SeekCurve = seekCurve;
        _revolutionNs = geometry.RevolutionNs;
        _writeSettleNs = (long)Math.Round(profile.Hdd!.WriteSettleMs * 1e6);
    }

    public DeviceProfile Profile { get; }

    public HddGeometry Geometry { get; }

    public SeekCurve SeekCurve { get; }

    public long CapacitySectors => Geometry.CapacitySectors;

    public int LogicalSectorSize => Profile.LogicalSectorSize;

    public int PhysicalSectorSize => Profile.PhysicalSectorSize;

    public ushort NominalRotationRate => (ushort)Profile.Hdd!.Rpm;

    public int MaxConcurrentAccesses => 1;

    /// <summary>Cylinder under the heads now.</summary>
    public int CurrentCylinder => _cylinder;

    /// <summary>Head selected now.</summary>
    public int CurrentHead => _head;

    /// <summary>When the access in progress (or the last one) completes.</summary>
    public long BusyUntil => _busyUntil;

    /// <summary>The breakdown of the most recent <see cref="Access"/>.</summary>
    public HddAccessTiming LastAccess { get; private set; }

    /// <summary>Builds the geometry and calibrates the seek curve for a profile of kind "hdd"; says why when it cannot.</summary>
    public static bool TryCreate(DeviceProfile profile, out HddMedia? media, out string error)
    {
        media = null;
        if (!DeviceProfileValidator.TryValidate(profile, out error)) return false;
        if (profile.Kind != "hdd" || profile.Hdd is not { } parameters)
        {
            error = $"profile '{profile.Name}' is of kind '{profile.Kind}', not 'hdd'";
            return false;
        }
        long capacitySectors = profile.CapacityBytes / profile.LogicalSectorSize;
        if (!HddGeometry.TryCreate(parameters, capacitySectors, profile.LogicalSectorSize, out HddGeometry? geometry, out error))
            return false;
        if (!SeekCurve.TryCalibrate(parameters.TrackToTrackMs, parameters.FullStrokeMs, parameters.AvgSeekMs,
                geometry!.SeekDistanceDistribution(), out SeekCurve? curve, out error))
            return false;
        media = new HddMedia(profile, geometry, curve!);
        return true;
    }

    public long Access(long start, MediaOperation operation, long lba, int sectorCount)
    {
        ValidateRange(lba, sectorCount);
        long begin = Math.Max(start, _busyUntil);
        HddAddress address = Geometry.Locate(lba);
        long seek = PositioningNs(_cylinder, _head, address, operation);
        double arrival = begin + seek;
        double firstSector = arrival + RotationalWaitNs(arrival, address);
        long firstSectorTime = (long)Math.Round(firstSector);

        double time = firstSector;
        double transfer = 0, switching = 0;
        long remaining = sectorCount;
        while (true)
        {
            HddZone zone = Geometry.Zone(address.Zone);
            long onTrack = Math.Min(remaining, zone.SectorsPerTrack - address.Sector);
            time += onTrack * zone.SectorTimeNs;
            transfer += onTrack * zone.SectorTimeNs;
            remaining -= onTrack;
            if (remaining == 0) break;

            HddAddress next = Geometry.NextTrack(address);
            double switchStart = time;
            time += PositioningNs(address.Cylinder, address.Head, next, operation);
            time += RotationalWaitNs(time, next);
            switching += time - switchStart;
            address = next;
        }

        long completion = Math.Max((long)Math.Round(time), firstSectorTime);
        _cylinder = address.Cylinder;
        _head = address.Head;
        _busyUntil = completion;
        LastAccess = new HddAccessTiming(begin, seek, firstSectorTime - begin - seek, firstSectorTime,
            (long)Math.Round(transfer), (long)Math.Round(switching), completion);
        return completion;
    }

    public long EstimatePositioning(long start, MediaOperation operation, long lba)
    {
        ValidateRange(lba, 1);
        long begin = Math.Max(start, _busyUntil);
        HddAddress address = Geometry.Locate(lba);
        double arrival = begin + PositioningNs(_cylinder, _head, address, operation);
        return (long)Math.Round(arrival + RotationalWaitNs(arrival, address)) - start;
    }

    /// <summary>Disks keep no mapping; TRIM changes nothing.</summary>
    public void Trim(long lba, long sectorCount) => ValidateRange(lba, sectorCount, minimumCount: 0);

    /// <summary>Seek plus write settle, or a head switch, whichever is longer (the head is selected during the seek).</summary>
    private long PositioningNs(int fromCylinder, int fromHead, HddAddress to, MediaOperation operation)
    {
        long distance = Math.Abs(to.Cylinder - fromCylinder);
        long headSwitch = to.Head != fromHead ? (long)Math.Round(Geometry.HeadSwitchNs) : 0;
        if (distance == 0) return headSwitch;
        long seek = SeekCurve.TimeNs(distance) + (operation == MediaOperation.Write ? _writeSettleNs : 0);
        return Math.Max(seek, headSwitch);
    }

    /// <summary>Time from <paramref name="time"/> until the leading edge of <paramref name="address"/> reaches the head.</summary>
    private double RotationalWaitNs(double time, HddAddress address)
    {
        double headAngle = time % _revolutionNs / _revolutionNs;
        double wait = Geometry.AngleOf(address) - headAngle;
        if (wait < 0) wait += 1;
        double waitNs = wait * _revolutionNs;
        return waitNs > _revolutionNs - CatchToleranceNs ? 0 : waitNs;
    }

    private void ValidateRange(long lba, long sectorCount, long minimumCount = 1) =>
        MediaRange.Validate(lba, sectorCount, minimumCount, CapacitySectors);
}
