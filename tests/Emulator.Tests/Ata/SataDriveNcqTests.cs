using Hardware.Emulator.Ata;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.Ata.Fakes;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveNcqTests
{
    private static DriveHarness PositionalDrive(FaultPlan? faults = null, SataDriveOptions? options = null) =>
        new(faults: faults, options: options, configureMedia: media =>
        {
            media.PositioningNs = 1_000_000;
            media.SeekNsPerSector = 10;
        });

    private static long[] ScatteredLbas(int count, int seed)
    {
        // Distinct 4 KiB-aligned places: overlapping queued writes would have no defined order.
        var random = new Random(seed);
        var lbas = new HashSet<long>();
        while (lbas.Count < count)
            lbas.Add((long)random.Next(0, 1 << 17) * 8);
        return lbas.ToArray();
    }

    [Fact]
    public void Thirty_two_queued_reads_complete_out_of_order_with_correct_data()
    {
        var harness = PositionalDrive();
        long[] lbas = ScatteredLbas(32, seed: 1);
        var expected = new byte[32][];
        for (int tag = 0; tag < 32; tag++)
        {
            expected[tag] = DriveHarness.Pattern(4096, seed: 100 + tag);
            harness.Write(lbas[tag], expected[tag], fua: true);
        }
        int accessesBefore = harness.Media.Accesses.Count;

        var buffers = new byte[32][];
        for (int tag = 0; tag < 32; tag++)
        {
            buffers[tag] = new byte[4096];
            harness.Host.Issue(Commands.Fpdma(read: true, tag, lbas[tag], 8), buffers[tag]);
        }
        harness.Simulation.Run();

        Assert.Equal(0u, harness.Host.Outstanding);
        Assert.Equal(32, harness.Host.CompletionOrder.Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 32), harness.Host.CompletionOrder);
        for (int tag = 0; tag < 32; tag++)
            Assert.Equal(expected[tag], buffers[tag]);
        Assert.True(harness.Drive.Statistics.NcqReorders > 0);

        // Every command got an acknowledgement clearing BSY without an interrupt, and a DMA Setup naming its tag.
        Assert.Equal(32, harness.Host.Timeline.Count(f => f.Kind == FisKind.RegisterD2H && !f.Interrupt && f.Status == AtaStatus.Drdy));
        Assert.Equal(Enumerable.Range(0, 32), harness.Host.Of(FisKind.DmaSetup).Select(f => f.Tag).Order());
        Assert.All(harness.Host.Of(FisKind.SetDeviceBits), f => Assert.True(f.Interrupt));

        // Reordering by positioning time travels less than first-come first-served would.
        long reordered = 0, fifo = 0, head = harness.Media.Accesses[accessesBefore - 1].Lba + 8;
        foreach (MediaAccess access in harness.Media.Accesses.Skip(accessesBefore).Where(a => a.Count == 8))
        {
            reordered += Math.Abs(access.Lba - head);
            head = access.Lba + 8;
        }
        head = harness.Media.Accesses[accessesBefore - 1].Lba + 8;
        foreach (long lba in lbas)
        {
            fifo += Math.Abs(lba - head);
            head = lba + 8;
        }
        Assert.True(reordered < fifo / 2, $"reordered seek distance {reordered} vs FIFO {fifo}");
    }

    [Fact]
    public void Thirty_two_queued_write_through_writes_complete_out_of_order_and_all_reach_the_medium()
    {
        var harness = PositionalDrive();
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        long[] lbas = ScatteredLbas(32, seed: 2);
        var data = new byte[32][];
        for (int tag = 0; tag < 32; tag++)
        {
            data[tag] = DriveHarness.Pattern(4096, seed: 200 + tag);
            harness.Host.Issue(Commands.Fpdma(read: false, tag, lbas[tag], 8), data[tag]);
        }
        harness.Simulation.Run();

        Assert.Equal(0u, harness.Host.Outstanding);
        Assert.NotEqual(Enumerable.Range(0, 32), harness.Host.CompletionOrder);
        for (int tag = 0; tag < 32; tag++)
            Assert.Equal(data[tag], harness.StoreBytes(lbas[tag], 8));
    }

    [Fact]
    public void Completions_that_finish_at_the_same_instant_share_one_set_device_bits_fis()
    {
        var harness = new DriveHarness(configureMedia: media =>
        {
            media.MaxConcurrentAccesses = 2;
            media.PositioningNs = 1_000_000;
        });
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        harness.Host.Issue(Commands.Fpdma(read: false, tag: 3, lba: 1000, sectors: 8), new byte[4096]);
        harness.Host.Issue(Commands.Fpdma(read: false, tag: 9, lba: 9000, sectors: 8), new byte[4096]);
        harness.Simulation.Run();

        FisRecord sdb = Assert.Single(harness.Host.Of(FisKind.SetDeviceBits));
        Assert.Equal((1u << 3) | (1u << 9), sdb.Tags);
    }

    [Fact]
    public void A_queued_read_with_fua_and_queued_writes_with_fua_reach_the_medium_before_completing()
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(4096, seed: 3);
        FisRecord done = harness.IssueAndWait(Commands.Fpdma(read: false, tag: 5, lba: 4000, sectors: 8, fua: true), data);
        Assert.Equal(1u << 5, done.Tags);
        Assert.Equal(data, harness.StoreBytes(4000, 8));
    }

    [Fact]
    public void An_old_command_is_not_starved_by_better_placed_ones()
    {
        static int PlaceOfFarCommand(long maxWaitNs)
        {
            var harness = PositionalDrive(options: new SataDriveOptions { NcqMaxWaitNs = maxWaitNs });
            // The first command goes to the idle medium at once; the far one then waits among 30 near ones.
            harness.Host.Issue(Commands.Fpdma(read: true, tag: 31, lba: 31_000, sectors: 8), new byte[4096]);
            harness.Host.Issue(Commands.Fpdma(read: true, tag: 0, lba: 900_000, sectors: 8), new byte[4096]);
            for (int tag = 1; tag < 31; tag++)
                harness.Host.Issue(Commands.Fpdma(read: true, tag, lba: tag * 1000, sectors: 8), new byte[4096]);
            harness.Simulation.Run();
            return harness.Host.CompletionOrder.IndexOf(0);
        }

        Assert.Equal(31, PlaceOfFarCommand(maxWaitNs: 1_000_000_000));
        Assert.InRange(PlaceOfFarCommand(maxWaitNs: 10_000_000), 5, 15);
    }

    [Fact]
    public void An_ncq_error_aborts_all_outstanding_commands_and_log_10h_names_the_failed_tag()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(7003);
        var harness = PositionalDrive(faults);
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 4, lba: 7000, sectors: 8), new byte[4096]);
        for (int tag = 10; tag < 20; tag++)
            harness.Host.Issue(Commands.Fpdma(read: true, tag, lba: 500_000 + tag * 64, sectors: 8), new byte[4096]);
        harness.Simulation.Run();

        FisRecord error = harness.Host.Of(FisKind.SetDeviceBits).Single(f => (f.Status & AtaStatus.Err) != 0);
        Assert.Equal(0u, error.Tags);
        Assert.Equal(AtaError.Unc, error.Error);
        Assert.True(error.Interrupt);
        Assert.DoesNotContain(4, harness.Host.CompletionOrder);
        Assert.True(harness.Host.CompletionOrder.Count < 10, "the commands after the error were aborted");
        Assert.Empty(harness.Host.Timeline.SkipWhile(f => f != error).Where(f => f.Kind == FisKind.SetDeviceBits).Skip(1));

        // Until the log is read, queued commands are refused at issue.
        FisRecord refused = harness.IssueAndWaitRegister(Commands.Fpdma(read: true, tag: 0, lba: 0, sectors: 8), new byte[4096]);
        Assert.Equal(AtaError.Abrt, refused.Error);

        var page = new byte[512];
        FisRecord logRead = harness.Execute(Commands.ReadLogExt(LogAddress.NcqCommandError), page);
        Assert.Equal(AtaStatus.Drdy, logRead.Status);
        Assert.True(DataStructureChecksum.IsValid(page));
        NcqCommandErrorLog log = NcqCommandErrorLog.Read(page);
        Assert.False(log.NotQueued);
        Assert.Equal(4, log.Tag);
        Assert.Equal(AtaError.Unc, log.Error);
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, log.Status);
        Assert.Equal(7003UL, log.Lba);
        Assert.Equal(8, log.Count);

        // Reading the log cleared the error condition: queued commands work again, and the log is empty.
        FisRecord after = harness.IssueAndWait(Commands.Fpdma(read: true, tag: 4, lba: 0, sectors: 8), new byte[4096]);
        Assert.Equal(1u << 4, after.Tags);
        harness.Execute(Commands.ReadLogExt(LogAddress.NcqCommandError), page);
        Assert.True(NcqCommandErrorLog.Read(page).NotQueued);
    }

    [Fact]
    public void A_non_queued_command_while_queued_ones_are_outstanding_aborts_them_all()
    {
        var harness = PositionalDrive();
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 1, lba: 300_000, sectors: 8), new byte[4096]);
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 2, lba: 600_000, sectors: 8), new byte[4096]);
        FisRecord flush = harness.Execute(Commands.NonData(AtaCommand.FlushCacheExt));
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, flush.Status);
        Assert.Equal(AtaError.Abrt, flush.Error);
        Assert.Empty(harness.Host.CompletionOrder);

        var page = new byte[512];
        harness.Execute(Commands.ReadLogExt(LogAddress.NcqCommandError), page);
        Assert.True(NcqCommandErrorLog.Read(page).NotQueued);
    }

    [Fact]
    public void A_tag_already_outstanding_is_refused_and_aborts_the_queue()
    {
        var harness = PositionalDrive();
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 6, lba: 300_000, sectors: 8), new byte[4096]);
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 6, lba: 100, sectors: 8), new byte[4096]);
        harness.Simulation.Run();
        FisRecord refusal = harness.Host.Timeline.Last(f => f.Kind == FisKind.RegisterD2H);
        Assert.Equal(AtaError.Abrt, refusal.Error);
        Assert.True(refusal.Interrupt);
        Assert.Empty(harness.Host.CompletionOrder);
    }

    [Fact]
    public void Read_log_ext_serves_the_directory_and_aborts_logs_it_does_not_have()
    {
        var harness = new DriveHarness();
        var page = new byte[512];
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.ReadLogExt(LogAddress.Directory), page).Status);
        Assert.Equal(1, LogDirectory.PageCount(page, LogAddress.NcqCommandError));
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.ReadLogExt((LogAddress)0x30), page).Error);
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.ReadLogExt(LogAddress.NcqCommandError, pages: 2), new byte[1024]).Error);
    }
}
