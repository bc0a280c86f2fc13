namespace Hardware.Emulator.Media;

/// <summary>
/// Zoned layout of a disk. LBA 0 is on the outermost cylinder; LBAs run in plain (not serpentine) order: all
/// sectors of a track, then the next head of the same cylinder, then head 0 of the next cylinder inward. Zones are
/// bands of equal cylinder count whose sectors per track fall linearly from the outer to the inner zone.
/// <para>
/// Calibration: the outer and inner zones' sectors per track are chosen so that a sequential transfer, including
/// its head and cylinder switches (each costs its skew), runs at the datasheet's sustained outer and inner rates.
/// The cylinder count follows from the capacity; sectors past the capacity (spares) are not modelled.
/// </para>
/// </summary>
public sealed class HddGeometry
{
    private readonly HddZone[] _zones;

    private HddGeometry(HddZone[] zones, int heads, int sectorSize, long capacitySectors, double revolutionNs,
        double headSwitchNs, double cylinderSwitchNs)
    {
        _zones = zones;
        Heads = heads;
        SectorSize = sectorSize;
        CapacitySectors = capacitySectors;
        RevolutionNs = revolutionNs;
        HeadSwitchNs = headSwitchNs;
        CylinderSwitchNs = cylinderSwitchNs;
        HddZone last = zones[^1];
        Cylinders = last.FirstCylinder + last.Cylinders;
    }

    public IReadOnlyList<HddZone> Zones => _zones;

    internal HddZone Zone(int index) => _zones[index];

    public int Heads { get; }

    public int Cylinders { get; }

    public int SectorSize { get; }

    public long CapacitySectors { get; }

    public double RevolutionNs { get; }

    /// <summary>Head switch time the track skew was sized for.</summary>
    public double HeadSwitchNs { get; }

    /// <summary>Worst cylinder switch (one-cylinder write seek with settle, or a head switch) the cylinder skew was sized for.</summary>
    public double CylinderSwitchNs { get; }

    public static bool TryCreate(HddParameters parameters, long capacitySectors, int sectorSize,
        out HddGeometry? geometry, out string error)
    {
        geometry = null;
        double revolutionNs = 60e9 / parameters.Rpm;
        double headSwitchNs = parameters.HeadSwitchMs * 1e6;
        double cylinderSwitchNs = Math.Max((parameters.TrackToTrackMs + parameters.WriteSettleMs) * 1e6, headSwitchNs);
        int heads = parameters.Heads, zoneCount = parameters.Zones;

        int outerSpt = SectorsPerTrackFor(parameters.SustainedOuterMBps, heads, sectorSize, revolutionNs, headSwitchNs, cylinderSwitchNs);
        int innerSpt = SectorsPerTrackFor(parameters.SustainedInnerMBps, heads, sectorSize, revolutionNs, headSwitchNs, cylinderSwitchNs);
        if (innerSpt < 1)
        {
            error = $"sustainedInnerMBps {parameters.SustainedInnerMBps} is too low for one sector per track";
            return false;
        }

        var sectorsPerTrack = new int[zoneCount];
        for (int z = 0; z < zoneCount; z++)
        {
            double fraction = zoneCount == 1 ? 0 : z / (double)(zoneCount - 1);
            sectorsPerTrack[z] = (int)Math.Round(outerSpt + (innerSpt - outerSpt) * fraction);
        }

        int cylinders = CylindersFor(capacitySectors, sectorsPerTrack, heads);
        if (cylinders / zoneCount < 4)
        {
            error = $"capacity {capacitySectors} sectors gives {cylinders} cylinders, too few for {zoneCount} zones of at least 4 cylinders";
            return false;
        }

        var zones = new HddZone[zoneCount];
        int firstCylinder = 0;
        long firstLba = 0;
        int baseOffset = 0;
        for (int z = 0; z < zoneCount; z++)
        {
            int spt = sectorsPerTrack[z];
            double sectorTime = revolutionNs / spt;
            int headSkew = SkewSectors(headSwitchNs, sectorTime, spt);
            int cylinderSkew = SkewSectors(cylinderSwitchNs, sectorTime, spt);
            long sectorsPerCylinder = (long)spt * heads;
            int zoneCylinders = cylinders / zoneCount + (z < cylinders % zoneCount ? 1 : 0);
            long sectorCount = Math.Min(zoneCylinders * sectorsPerCylinder, capacitySectors - firstLba);
            int usedCylinders = (int)((sectorCount + sectorsPerCylinder - 1) / sectorsPerCylinder);
            if (z > 0)
            {
                // The zone's first track starts a cylinder skew after the previous zone's last track ends.
                HddZone previous = zones[z - 1];
                long lastTrackOffset = TrackOffsetSectors(previous, previous.Cylinders - 1, heads - 1, heads);
                long inNewSectors = (lastTrackOffset * spt + previous.SectorsPerTrack - 1) / previous.SectorsPerTrack;
                baseOffset = (int)((inNewSectors + cylinderSkew) % spt);
            }
            zones[z] = new HddZone
            {
                Index = z,
                FirstCylinder = firstCylinder,
                Cylinders = usedCylinders,
                FirstLba = firstLba,
                SectorCount = sectorCount,
                SectorsPerTrack = spt,
                SectorTimeNs = sectorTime,
                HeadSkewSectors = headSkew,
                CylinderSkewSectors = cylinderSkew,
                BaseOffsetSectors = baseOffset,
                MediaRateMBps = spt * (double)sectorSize / revolutionNs * 1e3,
                SustainedRateMBps = SustainedMBps(spt, heads, sectorSize, revolutionNs, headSwitchNs, cylinderSwitchNs),
            };
            firstCylinder += usedCylinders;
            firstLba += sectorCount;
            if (sectorCount == 0)
            {
                error = $"capacity {capacitySectors} sectors leaves zone {z} empty";
                return false;
            }
        }

        geometry = new HddGeometry(zones, heads, sectorSize, capacitySectors, revolutionNs, headSwitchNs, cylinderSwitchNs);
        error = "";
        return true;
    }

    /// <summary>The zone, cylinder, head and sector of <paramref name="lba"/> (which must be below the capacity).</summary>
    public HddAddress Locate(long lba)
    {
        HddZone zone = ZoneOf(lba);
        long local = lba - zone.FirstLba;
        long sectorsPerCylinder = (long)zone.SectorsPerTrack * Heads;
        int cylinder = (int)(local / sectorsPerCylinder);
        long inCylinder = local - cylinder * sectorsPerCylinder;
        int head = (int)(inCylinder / zone.SectorsPerTrack);
        int sector = (int)(inCylinder - (long)head * zone.SectorsPerTrack);
        return new HddAddress(zone.Index, zone.FirstCylinder + cylinder, head, sector);
    }

    /// <summary>Sector 0 of the track that follows <paramref name="address"/>'s track in LBA order.</summary>
    public HddAddress NextTrack(HddAddress address)
    {
        if (address.Head < Heads - 1) return new HddAddress(address.Zone, address.Cylinder, address.Head + 1, 0);
        HddZone zone = _zones[address.Zone];
        int nextZone = address.Cylinder + 1 < zone.FirstCylinder + zone.Cylinders ? zone.Index : zone.Index + 1;
        return new HddAddress(nextZone, address.Cylinder + 1, 0, 0);
    }

    /// <summary>Where the start of <paramref name="address"/> sits on the platter, as a fraction of a revolution in [0, 1).</summary>
    public double AngleOf(HddAddress address)
    {
        HddZone zone = _zones[address.Zone];
        long offset = TrackOffsetSectors(zone, address.Cylinder - zone.FirstCylinder, address.Head, Heads) + address.Sector;
        return offset % zone.SectorsPerTrack / (double)zone.SectorsPerTrack;
    }

    /// <summary>
    /// Probability that two uniformly random LBAs lie d cylinders apart, at index d: the seek distances a random
    /// workload produces, with the outer zones' denser cylinders weighted accordingly.
    /// </summary>
    public double[] SeekDistanceDistribution()
    {
        // Probability mass per cylinder is constant within a zone except for a partly used final cylinder, so the
        // autocorrelation needs one prefix-sum lookup per (distance, constant segment) pair.
        var segments = new List<(int First, int End, double Mass)>();
        foreach (HddZone zone in _zones)
        {
            long sectorsPerCylinder = (long)zone.SectorsPerTrack * Heads;
            int full = (int)(zone.SectorCount / sectorsPerCylinder);
            if (full > 0) segments.Add((zone.FirstCylinder, zone.FirstCylinder + full, sectorsPerCylinder / (double)CapacitySectors));
            long rest = zone.SectorCount - full * sectorsPerCylinder;
            if (rest > 0) segments.Add((zone.FirstCylinder + full, zone.FirstCylinder + full + 1, rest / (double)CapacitySectors));
        }

        int n = Cylinders;
        var prefix = new double[n + 1];
        foreach (var (first, end, mass) in segments)
            for (int c = first; c < end; c++) prefix[c + 1] = prefix[c] + mass;

        var weights = new double[n];
        foreach (var (first, end, mass) in segments) weights[0] += (end - first) * mass * mass;
        for (int d = 1; d < n; d++)
        {
            double sum = 0;
            foreach (var (first, end, mass) in segments)
            {
                if (first + d >= n) break;
                sum += mass * (prefix[Math.Min(end + d, n)] - prefix[first + d]);
            }
            weights[d] = 2 * sum;
        }
        return weights;
    }

    /// <summary>The zone holding <paramref name="lba"/>.</summary>
    public HddZone ZoneOf(long lba)
    {
        int low = 0, high = _zones.Length - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >> 1;
            if (_zones[mid].FirstLba <= lba) low = mid; else high = mid - 1;
        }
        return _zones[low];
    }

    private static long TrackOffsetSectors(HddZone zone, long localCylinder, int head, int heads) =>
        (zone.BaseOffsetSectors + localCylinder * zone.CylinderAdvanceSectors(heads) + (long)head * zone.HeadSkewSectors)
        % zone.SectorsPerTrack;

    private static int SkewSectors(double switchNs, double sectorTimeNs, int sectorsPerTrack) =>
        (int)(Math.Ceiling(switchNs / sectorTimeNs) % sectorsPerTrack);

    private static double SustainedMBps(int spt, int heads, int sectorSize, double revolutionNs, double headSwitchNs, double cylinderSwitchNs)
    {
        double sectorTime = revolutionNs / spt;
        double cylinderTime = heads * revolutionNs
            + (heads - 1) * SkewSectors(headSwitchNs, sectorTime, spt) * sectorTime
            + SkewSectors(cylinderSwitchNs, sectorTime, spt) * sectorTime;
        return (double)heads * spt * sectorSize / cylinderTime * 1e3;
    }

    private static int SectorsPerTrackFor(double sustainedMBps, int heads, int sectorSize, double revolutionNs,
        double headSwitchNs, double cylinderSwitchNs)
    {
        // Estimate from the switch times, then pick the integer whose sustained rate (with whole-sector skews) is closest.
        double cylinderTime = heads * revolutionNs + (heads - 1) * headSwitchNs + cylinderSwitchNs;
        int estimate = (int)Math.Round(sustainedMBps / 1e3 * cylinderTime / heads / sectorSize);
        int best = 0;
        double bestError = double.PositiveInfinity;
        for (int spt = Math.Max(1, estimate - 3); spt <= estimate + 3; spt++)
        {
            double error = Math.Abs(SustainedMBps(spt, heads, sectorSize, revolutionNs, headSwitchNs, cylinderSwitchNs) - sustainedMBps);
            if (error < bestError) (best, bestError) = (spt, error);
        }
        return best;
    }

    private static int CylindersFor(long capacitySectors, int[] sectorsPerTrack, int heads)
    {
        long sum = 0;
        foreach (int spt in sectorsPerTrack) sum += spt;
        int zoneCount = sectorsPerTrack.Length;
        long cylinders = Math.Max(zoneCount, capacitySectors * zoneCount / (sum * heads) - zoneCount);
        while (SectorsIn(cylinders) < capacitySectors) cylinders++;
        return (int)cylinders;

        long SectorsIn(long c)
        {
            long total = 0;
            for (int z = 0; z < zoneCount; z++) total += (c / zoneCount + (z < c % zoneCount ? 1 : 0)) * sectorsPerTrack[z] * heads;
            return total;
        }
    }
}
