using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;
using Xunit.Abstractions;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// The 7200 RPM preset timed the way a benchmark on a real machine would time it: through the HBA's registers, in
/// virtual time, against figures computed from the datasheet numbers the preset carries. Everything between the
/// driver and the platter counts: command fetch, firmware overhead, seek, rotation, media transfer, the SATA link,
/// the completion FIS.
/// </summary>
public class Hdd7200TimingTests(ITestOutputHelper output)
{
    private const int SectorsPerRead = 8; // 4 KiB
    private const int RandomReads = 1000;
    private const int QueuedReads = 1200;
    private const int QueueDepth = 32;

    private static DeviceProfile Profile => MachineRig.Preset("hdd-7200");

    private static HddParameters Datasheet => Profile.Hdd!;

    /// <summary>
    /// Average seek + half a revolution + the media time of 4 KiB, the last averaged over the zones in proportion to
    /// the LBAs each holds (a uniform random LBA lands in a zone with that probability).
    /// </summary>
    private static double ExpectedRandomReadMs()
    {
        HddGeometry geometry = ((HddMedia)MediaModels.Create(Profile)).Geometry;
        double transferMs = 0;
        foreach (HddZone zone in geometry.Zones)
        {
            double rateBytesPerMs = zone.MediaRateMBps * 1e3;
            transferMs += (double)zone.SectorCount / geometry.CapacitySectors * SectorsPerRead * 512 / rateBytesPerMs;
        }
        return Datasheet.AvgSeekMs + 0.5 * 60_000.0 / Datasheet.Rpm + transferMs;
    }

    private static long RandomAlignedLba(SimRandom random, long capacity) => random.NextInt64(capacity / SectorsPerRead) * SectorsPerRead;

    /// <summary>QD1: one 4 KiB READ DMA EXT at a time at uniform random 4 KiB-aligned LBAs; the mean time per read in ms.</summary>
    private static double MeasureQd1RandomReadMs(MachineRig rig, int count)
    {
        SimRandom random = rig.Simulation.CreateRandom("qd1-random-read");
        DmaBuffer buffer = rig.Driver.AllocateBuffer(SectorsPerRead * 512);
        long start = rig.Simulation.Now;
        for (int i = 0; i < count; i++)
        {
            long lba = RandomAlignedLba(random, rig.CapacitySectors);
            CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(lba, SectorsPerRead), buffer.Segment));
            Assert.True(result.Succeeded, result.ToString());
        }
        return (rig.Simulation.Now - start) / 1e6 / count;
    }

    /// <summary>QD32: 32 queued 4 KiB reads in flight, each tag reissued at a new random LBA as soon as it completes.</summary>
    private static double MeasureQueuedRandomReadIops(MachineRig rig, int count, int depth)
    {
        SimRandom random = rig.Simulation.CreateRandom("qd32-random-read");
        int bytes = SectorsPerRead * 512;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(depth * bytes);
        long start = rig.Simulation.Now;
        rig.RunQueued(depth, count, tag => AhciCommand.Read(
            AtaCommands.ReadFpdma(tag, RandomAlignedLba(random, rig.CapacitySectors), SectorsPerRead), buffer.Slice(tag * bytes, bytes)));
        return count / ((rig.Simulation.Now - start) / 1e9);
    }

    [Fact]
    public void Qd1_random_4k_reads_average_the_datasheet_seek_plus_half_a_revolution_plus_the_transfer()
    {
        using MachineRig rig = MachineRig.Start(Profile);
        double expected = ExpectedRandomReadMs();

        double measured = MeasureQd1RandomReadMs(rig, RandomReads);

        output.WriteLine($"QD1 random 4 KiB read: {measured:F3} ms measured, {expected:F3} ms expected " +
                         $"({Datasheet.AvgSeekMs} seek + {30_000.0 / Datasheet.Rpm:F3} half revolution + transfer); " +
                         $"{(measured / expected - 1) * 100:+0.00;-0.00}%");
        Assert.InRange(measured, expected * 0.95, expected * 1.05);
    }

    [Fact]
    public void Sequential_256k_reads_from_lba_0_run_at_the_outer_zone_sustained_rate()
    {
        using MachineRig rig = MachineRig.Start(Profile);
        const int commandBytes = 256 * 1024;
        const long totalBytes = 64L << 20;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(commandBytes);
        int sectors = commandBytes / 512;

        long start = rig.Simulation.Now;
        for (long lba = 0; lba * 512 < totalBytes; lba += sectors)
        {
            CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(lba, sectors), buffer.Segment));
            Assert.True(result.Succeeded, result.ToString());
        }
        double mbPerSecond = totalBytes / ((rig.Simulation.Now - start) / 1e9) / 1e6;

        output.WriteLine($"sequential 256 KiB reads, 64 MiB from LBA 0: {mbPerSecond:F2} MB/s measured, " +
                         $"{Datasheet.SustainedOuterMBps} MB/s datasheet outer zone; {(mbPerSecond / Datasheet.SustainedOuterMBps - 1) * 100:+0.00;-0.00}%");
        Assert.InRange(mbPerSecond, Datasheet.SustainedOuterMBps * 0.95, Datasheet.SustainedOuterMBps * 1.05);
    }

    [Fact]
    public void Qd32_ncq_random_reads_reach_at_least_one_and_a_half_times_the_qd1_iops()
    {
        using MachineRig qd1Rig = MachineRig.Start(Profile);
        double qd1Iops = 1000 / MeasureQd1RandomReadMs(qd1Rig, RandomReads);
        using MachineRig qd32Rig = MachineRig.Start(Profile);

        double qd32Iops = MeasureQueuedRandomReadIops(qd32Rig, QueuedReads, QueueDepth);

        output.WriteLine($"random 4 KiB reads: QD1 {qd1Iops:F1} IOPS, QD32 NCQ {qd32Iops:F1} IOPS, ratio {qd32Iops / qd1Iops:F2}; " +
                         $"{qd32Rig.Drive.Statistics.NcqReorders} reorders");
        Assert.True(qd32Iops >= 1.5 * qd1Iops, $"QD32 {qd32Iops:F1} IOPS vs QD1 {qd1Iops:F1} IOPS");
    }
}
