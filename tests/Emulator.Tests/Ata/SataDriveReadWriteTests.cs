using Hardware.Emulator.Ata;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.Ata.Fakes;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveReadWriteTests
{
    public static TheoryData<bool, string, int> Placements()
    {
        var data = new TheoryData<bool, string, int>();
        foreach (bool ext in new[] { false, true })
        {
            foreach (string where in new[] { "first", "middle", "last" })
            {
                foreach (int sectors in new[] { 1, 8, 16, 256 })
                    data.Add(ext, where, sectors);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Data_written_at_the_first_middle_and_last_lba_reads_back_and_lands_in_the_store(bool ext, string where, int sectors)
    {
        var harness = new DriveHarness();
        long capacity = harness.Drive.CapacitySectors;
        long lba = where switch { "first" => 0, "middle" => capacity / 2 + 3, _ => capacity - sectors };
        byte[] data = DriveHarness.Pattern(sectors * 512, seed: sectors + (int)lba);

        harness.Write(lba, data, ext);
        Assert.Equal(data, harness.Read(lba, sectors, ext));

        harness.Execute(Commands.NonData(AtaCommand.FlushCacheExt));
        Assert.Equal(data, harness.StoreBytes(lba, sectors));
        Assert.Equal(0, harness.Drive.DirtySectors);
    }

    [Fact]
    public void Lba48_commands_reach_sectors_beyond_what_28_bits_address()
    {
        long capacity = 1L << 33; // 4 TiB of 512-byte sectors, sparse
        var harness = new DriveHarness(DriveHarness.DefaultProfile(capacity));
        byte[] data = DriveHarness.Pattern(4096, seed: 5);
        harness.Write(capacity - 8, data);
        Assert.Equal(data, harness.Read(capacity - 8, 8));

        var identify = new byte[512];
        harness.Execute(Commands.Opcode((byte)AtaCommand.IdentifyDevice), identify);
        Assert.Equal(0x0FFF_FFFFu, IdentifyDeviceData.DoubleWord(identify, IdentifyWord.TotalSectorsLba28));
        Assert.Equal(capacity, IdentifyDeviceData.Read(identify).CapacitySectors);
    }

    [Fact]
    public void A_count_of_zero_means_65536_sectors_for_lba48_and_256_for_lba28()
    {
        var harness = new DriveHarness();
        byte[] big = DriveHarness.Pattern(65536 * 512, seed: 8);
        FisRecord done = harness.Execute(Commands.NonData(AtaCommand.WriteDmaExt, count: 0, lba: 1000), big);
        Assert.Equal(AtaStatus.Drdy, done.Status);
        Assert.Equal(65536 * 512, harness.Host.Of(FisKind.DataPhase).Last().Bytes);
        Assert.Equal(big, harness.Read(1000, 65536));

        var small = new byte[256 * 512];
        var lba28 = new RegisterH2DFis { IsCommand = true, Command = (byte)AtaCommand.ReadDma, Count = 0, Lba = 1000, Device = 0x40 };
        Assert.Equal(AtaStatus.Drdy, harness.Execute(lba28, small).Status);
        Assert.Equal(256 * 512, harness.Host.Of(FisKind.DataPhase).Last().Bytes);
        Assert.Equal(big.AsSpan(0, 256 * 512).ToArray(), small);
    }

    [Theory]
    [InlineData(AtaCommand.ReadDmaExt)]
    [InlineData(AtaCommand.WriteDmaExt)]
    [InlineData(AtaCommand.ReadVerifySectorsExt)]
    public void A_range_past_the_capacity_completes_with_idnf(AtaCommand command)
    {
        var harness = new DriveHarness();
        long capacity = harness.Drive.CapacitySectors;
        FisRecord done = harness.Execute(Commands.NonData(command, count: 8, lba: (ulong)(capacity - 4)), new byte[4096]);
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, done.Status);
        Assert.Equal(AtaError.Idnf, done.Error);
        Assert.DoesNotContain(harness.Host.Timeline, f => f.Kind == FisKind.DataPhase && f.Bytes == 4096);
    }

    [Fact]
    public void A_bad_sector_fails_reads_and_verifies_with_unc_and_the_first_bad_lba_until_it_is_rewritten()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(1005, 3);
        var harness = new DriveHarness(faults: faults);

        FisRecord read = harness.Execute(Commands.ReadDmaExt(1000, 16), new byte[8192]);
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, read.Status);
        Assert.Equal(AtaError.Unc, read.Error);
        Assert.Equal(1005UL, read.Lba);

        FisRecord verify = harness.Execute(Commands.ReadVerifyExt(1006, 4));
        Assert.Equal(AtaError.Unc, verify.Error);
        Assert.Equal(1006UL, verify.Lba);
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.ReadVerifyExt(1008, 4)).Status);

        // A write reaching the medium reallocates the pending sectors.
        harness.Write(1005, DriveHarness.Pattern(3 * 512, seed: 4), fua: true);
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.ReadDmaExt(1000, 16), new byte[8192]).Status);
        Assert.Equal(2, harness.Drive.Statistics.UncorrectableErrors);
    }

    [Fact]
    public void Reads_next_to_a_bad_sector_are_not_served_from_read_ahead()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(8);
        var harness = new DriveHarness(faults: faults);
        harness.Read(0, 8);
        FisRecord next = harness.Execute(Commands.ReadDmaExt(8, 8), new byte[4096]);
        Assert.Equal(AtaError.Unc, next.Error);
        Assert.Equal(8UL, next.Lba);
    }

    [Fact]
    public void A_write_fault_fails_with_df_and_abrt_and_leaves_the_data_unchanged()
    {
        var faults = new FaultPlan();
        var harness = new DriveHarness(faults: faults);
        byte[] original = DriveHarness.Pattern(4096, seed: 6);
        harness.Write(200, original, fua: true);
        faults.AddWriteFault(204);

        FisRecord done = harness.Execute(Commands.WriteDmaExt(200, 8), DriveHarness.Pattern(4096, seed: 7));
        Assert.Equal(AtaStatus.Drdy | AtaStatus.DeviceFault | AtaStatus.Err, done.Status);
        Assert.Equal(AtaError.Abrt, done.Error);
        Assert.Equal(204UL, done.Lba);
        Assert.Equal(original, harness.Read(200, 8));
        Assert.Equal(original, harness.StoreBytes(200, 8));
        Assert.Equal(1, harness.Drive.Statistics.WriteFaults);
    }

    [Fact]
    public void A_hung_command_is_accepted_and_never_completes_until_comreset()
    {
        var faults = new FaultPlan();
        var harness = new DriveHarness(faults: faults);
        faults.HangCommandNumber(2);
        harness.Read(0, 8); // command 1
        int before = harness.Host.Timeline.Count;
        harness.Host.Issue(Commands.ReadDmaExt(8, 8), new byte[4096]); // command 2
        harness.Simulation.RunUntil(harness.Simulation.Now + SimulationSeconds(5));
        Assert.Equal(before, harness.Host.Timeline.Count);
        Assert.Equal(1, harness.Drive.Statistics.HungCommands);

        // The driver's timeout path: COMRESET, then the drive works again.
        harness.PowerOn();
        Assert.Equal(0x50, (int)harness.Host.LastRegister.Status);
        Assert.Equal(new byte[4096], harness.Read(8, 8));
    }

    [Fact]
    public void A_queued_command_in_a_hung_lba_range_hangs_while_its_neighbours_complete()
    {
        var faults = new FaultPlan();
        faults.HangLbaRange(5000, 10);
        var harness = new DriveHarness(faults: faults);
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 0, lba: 4990, sectors: 16), new byte[8192]);
        harness.Host.Issue(Commands.Fpdma(read: true, tag: 1, lba: 100, sectors: 8), new byte[4096]);
        harness.Simulation.Run();
        Assert.Equal([1], harness.Host.CompletionOrder);
        Assert.Equal(1u, harness.Host.Outstanding);
    }

    private static long SimulationSeconds(int seconds) => seconds * 1_000_000_000L;
}
