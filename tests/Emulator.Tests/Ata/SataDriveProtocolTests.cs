using Hardware.Emulator.Ata;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.Ata.Fakes;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveProtocolTests
{
    [Fact]
    public void Comreset_answers_with_the_disk_signature_after_the_reset_time()
    {
        var harness = new DriveHarness(powerOn: false);
        harness.Drive.ComReset(SataGeneration.Gen3);
        harness.Simulation.Run();

        FisRecord signature = Assert.Single(harness.Host.Timeline);
        Assert.Equal(FisKind.RegisterD2H, signature.Kind);
        Assert.Equal(SataDriveOptions.Default.ResetTimeNs, signature.Time);
        Assert.Equal(0x50, (int)signature.Status);
        Assert.Equal(0x01, (int)signature.Error);
        Assert.Equal(1, signature.Count);
        Assert.Equal(1UL, signature.Lba);
        Assert.False(signature.Interrupt);
        Assert.True(harness.Drive.IsReady);
    }

    [Fact]
    public void Comreset_drops_commands_in_flight_without_a_fis_but_keeps_cached_writes()
    {
        var harness = new DriveHarness();
        byte[] cached = DriveHarness.Pattern(4096, seed: 1);
        harness.IssueAndWait(Commands.WriteDmaExt(100, 8), cached);
        for (int tag = 0; tag < 4; tag++)
            harness.Host.Issue(Commands.Fpdma(read: true, tag, lba: 50_000 * (tag + 1), sectors: 8), new byte[4096]);
        harness.Simulation.RunUntil(harness.Simulation.Now + 200_000);
        int before = harness.Host.Timeline.Count;

        harness.Drive.ComReset(SataGeneration.Gen2);
        harness.Simulation.Run();

        FisRecord[] after = harness.Host.Timeline.Skip(before).ToArray();
        Assert.Equal(FisKind.RegisterD2H, Assert.Single(after).Kind);
        Assert.Equal(0x50, (int)after[0].Status);
        Assert.Empty(harness.Host.CompletionOrder);
        Assert.Equal(SataGeneration.Gen2, harness.Drive.NegotiatedGeneration);
        Assert.Equal(cached, harness.StoreBytes(100, 8));
        Assert.Equal(0, harness.Drive.Statistics.LostDirtySectors);
        FisRecord again = harness.IssueAndWait(Commands.Fpdma(read: true, tag: 2, lba: 100, sectors: 8), new byte[4096]);
        Assert.Equal(1u << 2, again.Tags);
    }

    [Fact]
    public void Commands_before_the_first_comreset_are_ignored_and_logged()
    {
        var harness = new DriveHarness(powerOn: false);
        harness.Host.Issue(Commands.Opcode((byte)AtaCommand.IdentifyDevice), new byte[512]);
        harness.Simulation.Run();
        Assert.Empty(harness.Host.Timeline);
        Assert.Contains(harness.Log.Entries, e => e.Message.Contains("ignored"));
    }

    [Fact]
    public void Identify_device_is_a_pio_setup_then_512_bytes_and_no_register_fis_with_the_profile_contents()
    {
        var harness = new DriveHarness();
        int before = harness.Host.Timeline.Count;
        var buffer = new byte[512];
        FisRecord done = harness.Execute(Commands.Opcode((byte)AtaCommand.IdentifyDevice), buffer);

        // PIO data-in: the PIO Setup FIS carries the ending status and the I bit; the command ends with its data.
        FisRecord[] fises = harness.Host.Timeline.Skip(before).ToArray();
        Assert.Equal([FisKind.PioSetup, FisKind.DataPhase], fises.Select(f => f.Kind));
        Assert.Equal(512, fises[0].Bytes);
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Drq, fises[0].Status);
        Assert.Equal(AtaStatus.Drdy, fises[0].EndStatus);
        Assert.True(fises[0].Interrupt);
        Assert.Equal(512, fises[1].Bytes);
        Assert.Equal(AtaStatus.Drdy, done.Status);
        Assert.True(done.Interrupt);

        Assert.True(IdentifyDeviceData.HasValidIntegrityWord(buffer));
        IdentifyDeviceData identify = IdentifyDeviceData.Read(buffer);
        Assert.Equal("HWSTACK TEST DISK", identify.Model);
        Assert.Equal("TST0001", identify.Serial);
        Assert.Equal("T1.0", identify.Firmware);
        Assert.Equal(DriveHarness.DefaultCapacitySectors, identify.CapacitySectors);
        Assert.Equal(32, identify.QueueDepth);
        Assert.Equal(SataGeneration.Gen3, identify.CurrentGeneration);
        Assert.True(identify.WriteCacheEnabled);
        Assert.True(identify.TrimSupported);
        Assert.Equal(7200, identify.NominalRotationRate);
        Assert.Equal(DriveHarness.DefaultCapacitySectors, IdentifyDeviceData.DoubleWord(buffer, IdentifyWord.TotalSectorsLba28));
    }

    [Theory]
    [InlineData(AtaCommand.IdentifyDevice)]
    [InlineData(AtaCommand.ReadLogExt)]
    public void A_command_sent_the_instant_a_pio_data_in_phase_ends_is_accepted_and_completed(AtaCommand pioCommand)
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(4096, seed: 21);
        harness.Write(500, data);
        int before = harness.Host.Timeline.Count;
        RegisterH2DFis pio = pioCommand == AtaCommand.IdentifyDevice
            ? Commands.Opcode((byte)AtaCommand.IdentifyDevice)
            : Commands.ReadLogExt(LogAddress.NcqCommandError);
        harness.Host.Issue(pio, new byte[512]);
        while (!harness.Host.Timeline.Skip(before).Any(f => f.Kind == FisKind.DataPhase))
            Assert.True(harness.Simulation.Step());

        // The host saw the data phase end with the PIO Setup's ending status, so it sends the next command now.
        var read = new byte[4096];
        FisRecord done = harness.Execute(Commands.ReadDmaExt(500, 8), read);

        Assert.Equal(AtaStatus.Drdy, done.Status);
        Assert.Equal(data, read);
        Assert.Single(harness.Host.Timeline.Skip(before), f => f.Kind == FisKind.RegisterD2H);
        Assert.DoesNotContain(harness.Log.Entries, e => e.Message.Contains("ignored"));
    }

    [Fact]
    public void Set_features_settings_survive_comreset_and_return_to_defaults_after_power_loss()
    {
        var harness = new DriveHarness();
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x55));
        harness.PowerOn();
        Assert.False(harness.Drive.WriteCacheEnabled);
        Assert.False(harness.Drive.ReadLookAheadEnabled);
        harness.Drive.PowerLoss();
        harness.PowerOn();
        Assert.True(harness.Drive.WriteCacheEnabled);
        Assert.True(harness.Drive.ReadLookAheadEnabled);
    }

    [Theory]
    [InlineData(0x20)] // READ SECTORS (PIO) is not implemented
    [InlineData(0xC4)] // READ MULTIPLE
    [InlineData(0x00)] // NOP
    [InlineData(0xFF)]
    public void An_unknown_opcode_completes_with_err_and_abrt(byte opcode)
    {
        var harness = new DriveHarness();
        FisRecord done = harness.Execute(Commands.Opcode(opcode));
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, done.Status);
        Assert.Equal(AtaError.Abrt, done.Error);
        Assert.True(done.Interrupt);
        Assert.Equal(1, harness.Drive.Statistics.Commands(DriveCommandKind.Unsupported));
    }

    [Fact]
    public void Set_features_switches_the_write_cache_and_look_ahead_and_aborts_other_subcommands()
    {
        var harness = new DriveHarness();
        Assert.True(harness.Drive.WriteCacheEnabled);

        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82)).Status);
        Assert.False(harness.Drive.WriteCacheEnabled);
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x02)).Status);
        Assert.True(harness.Drive.WriteCacheEnabled);
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x55)).Status);
        Assert.False(harness.Drive.ReadLookAheadEnabled);
        Assert.Equal(AtaStatus.Drdy, harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0xAA)).Status);
        Assert.True(harness.Drive.ReadLookAheadEnabled);

        FisRecord transferMode = harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x03, count: 0x46));
        Assert.Equal(AtaError.Abrt, transferMode.Error);

        var buffer = new byte[512];
        harness.Execute(Commands.Opcode((byte)AtaCommand.IdentifyDevice), buffer);
        Assert.True(IdentifyDeviceData.Read(buffer).WriteCacheEnabled);
    }

    [Fact]
    public void Data_moves_through_many_small_host_buffer_pieces()
    {
        var harness = new DriveHarness();
        harness.Host.MaxPiece = 32; // like a PRDT of 32-byte entries
        byte[] data = DriveHarness.Pattern(4096, seed: 11);
        harness.Write(100, data);
        Assert.Equal(data, harness.Read(100, 8));
    }

    [Fact]
    public void A_host_bus_error_during_a_read_ends_the_command_with_abrt_and_no_exception()
    {
        var harness = new DriveHarness();
        harness.Write(0, DriveHarness.Pattern(8192, seed: 1));
        harness.Host.FailMappingWith = DmaStatus.HostBusFatal;
        harness.Host.FailMappingAtOffset = 4096;
        FisRecord done = harness.Execute(Commands.ReadDmaExt(0, 16), new byte[8192]);
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, done.Status);
        Assert.Equal(AtaError.Abrt, done.Error);
        Assert.Equal(4096, harness.Host.Of(FisKind.DataPhase).Last().Bytes);
        Assert.Equal(1, harness.Drive.Statistics.DmaErrors);
    }

    [Fact]
    public void A_write_whose_host_buffer_overflows_changes_nothing_on_the_drive()
    {
        var harness = new DriveHarness();
        byte[] original = DriveHarness.Pattern(4096, seed: 2);
        harness.Write(50, original);
        harness.Host.FailMappingWith = DmaStatus.Overflow;
        harness.Host.FailMappingAtOffset = 2048;
        FisRecord done = harness.Execute(Commands.WriteDmaExt(50, 8), DriveHarness.Pattern(4096, seed: 3));
        Assert.Equal(AtaError.Abrt, done.Error);
        harness.Host.FailMappingWith = null;
        Assert.Equal(original, harness.Read(50, 8));
    }

    [Fact]
    public void A_data_phase_for_a_stopped_port_is_dropped_without_a_fis()
    {
        var harness = new DriveHarness();
        int before = harness.Host.Timeline.Count;
        harness.Host.FailMappingWith = DmaStatus.NoActiveCommand;
        harness.Host.Issue(Commands.ReadDmaExt(0, 8), new byte[4096]);
        harness.Simulation.Run();
        Assert.DoesNotContain(harness.Host.Timeline.Skip(before), f => f.Kind == FisKind.RegisterD2H);
        harness.Host.FailMappingWith = null;
        Assert.Equal(new byte[4096], harness.Read(0, 8));
    }
}
