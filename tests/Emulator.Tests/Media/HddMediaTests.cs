using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Tests.Media;

public class HddMediaTests
{
    private static HddParameters Figures => DevicePresets.Hdd7200.Hdd!;

    private static HddMedia NewDisk() => (HddMedia)MediaModels.Create(DevicePresets.Hdd7200);

    [Fact]
    public void Random_4KiB_reads_at_queue_depth_one_take_average_seek_plus_half_a_revolution_plus_the_transfer()
    {
        HddMedia disk = NewDisk();
        HddGeometry geometry = disk.Geometry;
        double transferNs = geometry.Zones.Sum(z => z.SectorCount / (double)disk.CapacitySectors * 8 * z.SectorTimeNs);
        double expectedMs = Figures.AvgSeekMs + geometry.RevolutionNs / 2e6 + transferNs / 1e6;

        var random = new SimRandom(7);
        long time = 0;
        const int reads = 4000;
        for (int i = 0; i < reads; i++) time = disk.Access(time, MediaOperation.Read, random.NextInt64(disk.CapacitySectors - 8), 8);

        Assert.InRange(time / 1e6 / reads, expectedMs * 0.97, expectedMs * 1.03);
    }

    [Fact]
    public void Sequential_1MiB_reads_from_LBA_0_run_at_the_outer_zone_sustained_rate()
    {
        double rate = SequentialRate(NewDisk(), MediaOperation.Read, firstLba: 0);
        Assert.InRange(rate, Figures.SustainedOuterMBps * 0.98, Figures.SustainedOuterMBps * 1.02);
    }

    [Fact]
    public void The_inner_zone_is_slower_than_the_outer_by_the_configured_ratio()
    {
        HddMedia disk = NewDisk();
        double outer = SequentialRate(disk, MediaOperation.Read, firstLba: 0);
        double inner = SequentialRate(disk, MediaOperation.Read, firstLba: disk.CapacitySectors - 256 * 2048);
        double ratio = Figures.SustainedInnerMBps / Figures.SustainedOuterMBps;
        Assert.InRange(inner / outer, ratio * 0.98, ratio * 1.02);
    }

    [Fact]
    public void Sequential_writes_lose_no_revolution_at_cylinder_switches()
    {
        double read = SequentialRate(NewDisk(), MediaOperation.Read, firstLba: 0);
        double write = SequentialRate(NewDisk(), MediaOperation.Write, firstLba: 0);
        Assert.Equal(read, write, 3);
    }

    [Fact]
    public void The_zone_media_rates_reproduce_the_datasheet_instantaneous_rates()
    {
        // Table 10 of the 7K500 spec: instantaneous 76.3 MB/s in zone 0 and 36.5 MB/s in zone 29. The model only
        // gets the sustained rates and the head switch time; the raw rates follow.
        HddGeometry geometry = NewDisk().Geometry;
        Assert.InRange(geometry.Zones[0].MediaRateMBps, 76.3 * 0.995, 76.3 * 1.005);
        Assert.InRange(geometry.Zones[^1].MediaRateMBps, 36.5 * 0.995, 36.5 * 1.005);
        Assert.Equal(Figures.Zones, geometry.Zones.Count);
        Assert.Equal(Figures.Heads, geometry.Heads);
    }

    [Fact]
    public void Rotational_latency_is_spread_evenly_over_a_revolution()
    {
        HddMedia disk = NewDisk();
        var random = new SimRandom(11);
        double revolution = disk.Geometry.RevolutionNs;
        var quarters = new int[4];
        double sum = 0;
        long time = 0;
        const int reads = 4000;
        for (int i = 0; i < reads; i++)
        {
            time = disk.Access(time, MediaOperation.Read, random.NextInt64(disk.CapacitySectors - 8), 8);
            long rotation = disk.LastAccess.RotationNs;
            Assert.InRange(rotation, 0, (long)revolution);
            sum += rotation;
            quarters[(int)Math.Min(3, rotation / (revolution / 4))]++;
        }
        Assert.InRange(sum / reads, revolution / 2 * 0.97, revolution / 2 * 1.03);
        Assert.All(quarters, n => Assert.InRange(n, reads * 0.22, reads * 0.28));
    }

    [Fact]
    public void Estimated_positioning_equals_the_positioning_part_of_the_access_that_follows()
    {
        HddMedia disk = NewDisk();
        var random = new SimRandom(5);
        long time = 0;
        for (int i = 0; i < 1000; i++)
        {
            time += random.NextInt64(20 * SimTime.Millisecond);
            var operation = random.NextInt32(2) == 0 ? MediaOperation.Read : MediaOperation.Write;
            long lba = random.NextInt64(disk.CapacitySectors - 64);
            int cylinder = disk.CurrentCylinder, head = disk.CurrentHead;
            long busy = disk.BusyUntil;

            long estimate = disk.EstimatePositioning(time, operation, lba);
            Assert.Equal((cylinder, head, busy), (disk.CurrentCylinder, disk.CurrentHead, disk.BusyUntil));

            disk.Access(time, operation, lba, 64);
            Assert.Equal(estimate, disk.LastAccess.FirstSectorTime - time);
        }
    }

    [Fact]
    public void At_time_zero_sector_zero_is_under_the_head()
    {
        HddMedia disk = NewDisk();
        long completion = disk.Access(0, MediaOperation.Read, 0, 1);
        Assert.Equal(0, disk.LastAccess.FirstSectorTime);
        Assert.Equal((long)Math.Round(disk.Geometry.Zones[0].SectorTimeNs), completion);
    }

    [Fact]
    public void Rereading_the_same_sectors_at_once_waits_for_them_to_come_round_again()
    {
        HddMedia disk = NewDisk();
        long lba = 123_456_789;
        long done = disk.Access(0, MediaOperation.Read, lba, 8);
        disk.Access(done, MediaOperation.Read, lba, 8);
        HddZone zone = disk.Geometry.ZoneOf(lba);
        double expected = disk.Geometry.RevolutionNs - 8 * zone.SectorTimeNs;
        Assert.Equal(0, disk.LastAccess.SeekNs);
        Assert.InRange(disk.LastAccess.RotationNs, expected - 3, expected + 3);
    }

    [Fact]
    public void A_transfer_across_a_track_boundary_pays_exactly_the_track_skew()
    {
        HddMedia disk = NewDisk();
        HddZone zone = disk.Geometry.Zones[0];
        disk.Access(0, MediaOperation.Read, zone.SectorsPerTrack - 8, 16);
        double expected = zone.HeadSkewSectors * zone.SectorTimeNs;
        Assert.InRange(disk.LastAccess.SwitchNs, expected - 2, expected + 2);
        Assert.Equal(1, disk.CurrentHead);
    }

    [Fact]
    public void LBAs_run_along_a_track_then_across_heads_then_inward_across_cylinders()
    {
        HddGeometry geometry = NewDisk().Geometry;
        HddZone outer = geometry.Zones[0], next = geometry.Zones[1];
        int spt = outer.SectorsPerTrack;
        Assert.Equal(new HddAddress(0, 0, 0, 0), geometry.Locate(0));
        Assert.Equal(new HddAddress(0, 0, 0, spt - 1), geometry.Locate(spt - 1));
        Assert.Equal(new HddAddress(0, 0, 1, 0), geometry.Locate(spt));
        Assert.Equal(new HddAddress(0, 1, 0, 0), geometry.Locate((long)spt * geometry.Heads));
        Assert.Equal(new HddAddress(1, outer.Cylinders, 0, 0), geometry.Locate(next.FirstLba));
        Assert.True(next.SectorsPerTrack < outer.SectorsPerTrack);
        Assert.Equal(geometry.Cylinders - 1, geometry.Locate(geometry.CapacitySectors - 1).Cylinder);
    }

    [Fact]
    public void Writes_add_the_write_settle_time_to_a_seek()
    {
        HddMedia reader = NewDisk(), writer = NewDisk();
        long far = reader.CapacitySectors / 2;
        reader.Access(0, MediaOperation.Read, far, 8);
        writer.Access(0, MediaOperation.Write, far, 8);
        Assert.Equal((long)Math.Round(Figures.WriteSettleMs * 1e6), writer.LastAccess.SeekNs - reader.LastAccess.SeekNs);
    }

    [Fact]
    public void An_access_that_arrives_while_the_heads_are_busy_begins_when_they_are_free()
    {
        HddMedia disk = NewDisk();
        long first = disk.Access(0, MediaOperation.Read, disk.CapacitySectors / 3, 8);
        disk.Access(SimTime.Microsecond, MediaOperation.Read, disk.CapacitySectors / 2, 8);
        Assert.Equal(first, disk.LastAccess.Begin);
        Assert.Equal(1, disk.MaxConcurrentAccesses);
        Assert.Equal(7200, disk.NominalRotationRate);
    }

    [Fact]
    public void A_head_switch_alone_costs_the_head_switch_time()
    {
        HddMedia disk = NewDisk();
        int spt = disk.Geometry.Zones[0].SectorsPerTrack;
        long done = disk.Access(0, MediaOperation.Read, 0, 8);
        disk.Access(done, MediaOperation.Read, 3L * spt, 8);
        Assert.Equal((long)Math.Round(Figures.HeadSwitchMs * 1e6), disk.LastAccess.SeekNs);
        Assert.Equal(3, disk.CurrentHead);
        Assert.Equal(0, disk.CurrentCylinder);
    }

    /// <summary>256 back-to-back 1 MiB accesses; MB/s from the first completion to the last.</summary>
    private static double SequentialRate(HddMedia disk, MediaOperation operation, long firstLba)
    {
        const int calls = 256, sectors = 2048;
        long time = disk.BusyUntil, firstDone = 0, lba = firstLba;
        for (int i = 0; i < calls; i++)
        {
            time = disk.Access(time, operation, lba, sectors);
            if (i == 0) firstDone = time;
            lba += sectors;
        }
        return (calls - 1) * sectors * 512.0 / ((time - firstDone) / 1e9) / 1e6;
    }
}
