using Hardware.Emulator.Media;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Tests.Media;

public class SsdMediaTests
{
    private static SsdParameters Figures => DevicePresets.SsdSata.Ssd!;

    private static SsdMedia NewSsd(DeviceProfile? profile = null) => (SsdMedia)MediaModels.Create(profile ?? DevicePresets.SsdSata);

    private static long Ns(double microseconds) => (long)Math.Round(microseconds * 1e3);

    private static long ChannelNs(int bytes) => (long)Math.Round(bytes * 1e3 / Figures.ChannelMBps);

    [Fact]
    public void A_single_read_takes_the_controller_time_the_page_read_and_the_channel_transfer()
    {
        long completion = NewSsd().Access(0, MediaOperation.Read, 0, 8);
        Assert.Equal(Ns(Figures.ControllerReadUs) + Ns(Figures.ReadUs) + ChannelNs(4096), completion);
    }

    [Fact]
    public void A_single_write_takes_the_controller_time_the_transfer_and_its_share_of_a_page_program()
    {
        long completion = NewSsd().Access(0, MediaOperation.Write, 0, 8);
        long program = (long)Math.Round(Ns(Figures.ProgramUs) * 4096.0 / Figures.PageBytes);
        Assert.Equal(Ns(Figures.ControllerWriteUs) + ChannelNs(4096) + program, completion);
    }

    [Fact]
    public void Random_4KiB_reads_with_32_outstanding_reach_the_datasheet_98K_IOPS()
    {
        double iops = ClosedLoopIops(NewSsd(), MediaOperation.Read, outstanding: 32, accesses: 20_000);
        Assert.InRange(iops, 98_000 * 0.9, 98_000 * 1.1);
    }

    [Fact]
    public void Random_4KiB_writes_with_32_outstanding_reach_the_datasheet_90K_IOPS()
    {
        double iops = ClosedLoopIops(NewSsd(), MediaOperation.Write, outstanding: 32, accesses: 20_000);
        Assert.InRange(iops, 90_000 * 0.9, 90_000 * 1.1);
    }

    [Fact]
    public void Queueing_more_accesses_raises_throughput_until_the_controller_saturates()
    {
        double one = ClosedLoopIops(NewSsd(), MediaOperation.Read, outstanding: 1, accesses: 5_000);
        double four = ClosedLoopIops(NewSsd(), MediaOperation.Read, outstanding: 4, accesses: 5_000);
        Assert.True(four > 3 * one, $"QD4 {four:F0} IOPS vs QD1 {one:F0}");
    }

    [Fact]
    public void Reads_on_one_die_wait_for_each_other_while_reads_on_other_channels_overlap()
    {
        SsdMedia ssd = NewSsd();
        int sectorsPerPage = Figures.PageBytes / 512;
        long samePage = (long)Figures.Channels * Figures.DiesPerChannel;
        Assert.Equal(ssd.Stripe(0), ssd.Stripe(samePage));
        Assert.NotEqual(ssd.Stripe(0).Channel, ssd.Stripe(1).Channel);

        long first = ssd.Access(0, MediaOperation.Read, 0, 8);
        long sameDie = ssd.Access(0, MediaOperation.Read, samePage * sectorsPerPage, 8);
        Assert.Equal(first + Ns(Figures.ReadUs) + ChannelNs(4096), sameDie);

        SsdMedia other = NewSsd();
        long a = other.Access(0, MediaOperation.Read, 0, 8);
        long b = other.Access(0, MediaOperation.Read, sectorsPerPage, 8);
        Assert.Equal(a + Ns(Figures.ControllerReadUs), b);
    }

    [Fact]
    public void A_large_read_spreads_its_pages_over_all_channels()
    {
        int pages = Figures.Channels;
        long completion = NewSsd().Access(0, MediaOperation.Read, 0, pages * Figures.PageBytes / 512);
        Assert.Equal(Ns(Figures.ControllerReadUs) + Ns(Figures.ReadUs) + ChannelNs(Figures.PageBytes), completion);
    }

    [Fact]
    public void A_trimmed_range_reads_without_a_flash_access_until_it_is_written_again()
    {
        SsdMedia ssd = NewSsd();
        int sectorsPerPage = Figures.PageBytes / 512;
        ssd.Trim(0, 64 * sectorsPerPage);
        Assert.False(ssd.IsMapped(0));
        long start = 10 * SimTime.Millisecond;
        Assert.Equal(start + Ns(Figures.ControllerReadUs), ssd.Access(start, MediaOperation.Read, 0, 8));

        long written = ssd.Access(start, MediaOperation.Write, 0, sectorsPerPage);
        Assert.True(ssd.IsMapped(0));
        long later = written + SimTime.Millisecond;
        Assert.Equal(later + Ns(Figures.ControllerReadUs) + Ns(Figures.ReadUs) + ChannelNs(4096),
            ssd.Access(later, MediaOperation.Read, 0, 8));
    }

    [Fact]
    public void Trim_leaves_a_partly_covered_page_mapped()
    {
        SsdMedia ssd = NewSsd();
        int sectorsPerPage = Figures.PageBytes / 512;
        ssd.Trim(8, 2 * sectorsPerPage);
        Assert.True(ssd.IsMapped(0));
        Assert.False(ssd.IsMapped(sectorsPerPage));
        Assert.True(ssd.IsMapped(2 * sectorsPerPage));
    }

    [Fact]
    public void A_factory_fresh_drive_reads_never_written_pages_without_a_flash_access()
    {
        SsdMedia ssd = NewSsd(DevicePresets.SsdSata with { Ssd = Figures with { Preconditioned = false } });
        Assert.False(ssd.IsMapped(1000));
        Assert.Equal(Ns(Figures.ControllerReadUs), ssd.Access(0, MediaOperation.Read, 1000, 8));
        ssd.Access(0, MediaOperation.Write, 1000, 8);
        Assert.True(ssd.IsMapped(1000));
    }

    [Fact]
    public void A_flash_drive_reports_no_rotation_and_accepts_a_full_NCQ_queue()
    {
        SsdMedia ssd = NewSsd();
        Assert.Equal(1, ssd.NominalRotationRate);
        Assert.Equal(Figures.Channels * Figures.DiesPerChannel, ssd.Dies);
        Assert.True(ssd.MaxConcurrentAccesses >= 32);
    }

    /// <summary>Keeps <paramref name="outstanding"/> random 4 KiB accesses in flight; each completion issues the next.</summary>
    private static double ClosedLoopIops(SsdMedia ssd, MediaOperation operation, int outstanding, int accesses)
    {
        var random = new SimRandom(99);
        var inFlight = new PriorityQueue<int, long>();
        for (int i = 0; i < outstanding; i++)
            inFlight.Enqueue(i, ssd.Access(0, operation, random.NextInt64(ssd.CapacitySectors / 8) * 8, 8));
        long now = 0;
        for (int issued = outstanding; issued < accesses; issued++)
        {
            inFlight.TryDequeue(out int slot, out now);
            inFlight.Enqueue(slot, ssd.Access(now, operation, random.NextInt64(ssd.CapacitySectors / 8) * 8, 8));
        }
        while (inFlight.TryDequeue(out _, out long done)) now = Math.Max(now, done);
        return accesses / (now / 1e9);
    }
}
