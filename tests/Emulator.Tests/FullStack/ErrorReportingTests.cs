using System.Buffers.Binary;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// Errors as a driver reads them from the real drive: PxIS.TFES, PxTFD's status and error bytes, the D2H or Set
/// Device Bits FIS in the received-FIS area, PxCI/PxSACT, and for NCQ the error log page 10h; then the usual
/// recovery (stop the engine, restart, COMRESET only if the device stays busy) and the port working again.
/// </summary>
public class ErrorReportingTests
{
    private const long BadLba = 5_000_011;

    public static TheoryData<byte, string> UnsupportedCommands() => new()
    {
        { 0x00, "NOP" },
        { 0x77, "reserved opcode" },
        { 0x92, "DOWNLOAD MICROCODE" },
        { 0xC4, "READ MULTIPLE" },
        { 0xE5, "CHECK POWER MODE" },
        { 0xF8, "READ NATIVE MAX ADDRESS" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedCommands))]
    public void An_unsupported_opcode_reports_err_with_abrt_in_pxtfd_and_tfes_and_the_port_recovers(byte opcode, string name)
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));

        CommandResult result = rig.Execute(AtaCommands.Command(opcode));

        Assert.False(result.Succeeded, name);
        AssertTaskFileError(result, AtaError.Abrt);
        Assert.NotEqual(0u, result.CommandIssue & (1u << result.Slot)); // a failed command keeps its PxCI bit
        RegisterD2HFis fis = rig.ReceivedRegisterFis();
        Assert.Equal(AtaStatus.Err, fis.Status & AtaStatus.Err);
        Assert.Equal(AtaError.Abrt, fis.Error);
        AssertPortWorksAfterRecovery(rig);
    }

    [Fact]
    public void An_unsupported_set_features_subcommand_reports_abrt()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        CommandResult result = rig.Execute(AtaCommands.SetFeature(0x03, count: 0x46)); // set transfer mode: not modelled
        AssertTaskFileError(result, AtaError.Abrt);
        AssertPortWorksAfterRecovery(rig);
    }

    public static TheoryData<DmaMode, bool, long, int> PastCapacity() => new()
    {
        // mode, write, first LBA relative to the capacity, sectors
        { DmaMode.Lba48, false, -4, 8 },
        { DmaMode.Lba48, true, -4, 8 },
        { DmaMode.Lba48, false, 0, 1 },
        { DmaMode.Lba48, true, 1000, 1 },
        { DmaMode.Lba28, false, -1, 2 },
        { DmaMode.Lba28, true, 0, 1 },
    };

    [Theory]
    [MemberData(nameof(PastCapacity))]
    public void A_transfer_past_the_capacity_reports_idnf_and_moves_no_data(DmaMode mode, bool write, long fromCapacity, int sectors)
    {
        using MachineRig rig = MachineRig.Start(mode == DmaMode.Lba28 ? MachineRig.Lba28Sized("hdd-7200") : MachineRig.Preset("hdd-7200"));
        long lba = rig.CapacitySectors + fromCapacity;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(sectors * MachineRig.SectorSize);
        buffer.Span.Fill(0xEE);
        RegisterH2DFis fis = (mode, write) switch
        {
            (DmaMode.Lba28, false) => AtaCommands.ReadDma28(lba, sectors),
            (DmaMode.Lba28, true) => AtaCommands.WriteDma28(lba, sectors),
            (_, false) => AtaCommands.ReadDma48(lba, sectors),
            _ => AtaCommands.WriteDma48(lba, sectors),
        };

        CommandResult result = rig.Execute(write ? AhciCommand.Write(fis, buffer.Segment) : AhciCommand.Read(fis, buffer.Segment));

        AssertTaskFileError(result, AtaError.Idnf);
        Assert.Equal(0u, result.PrdByteCount);
        Assert.All(buffer.Span.ToArray(), b => Assert.Equal(0xEE, b));
        Assert.Equal((ulong)lba, rig.ReceivedRegisterFis().Lba);
        AssertPortWorksAfterRecovery(rig);
    }

    [Theory]
    [InlineData(DmaMode.Lba28)]
    [InlineData(DmaMode.Lba48)]
    public void A_read_over_an_unreadable_sector_reports_unc_with_its_lba_in_the_received_d2h_fis(DmaMode mode)
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(BadLba);
        using MachineRig rig = MachineRig.Start(mode == DmaMode.Lba28 ? MachineRig.Lba28Sized("hdd-7200") : MachineRig.Preset("hdd-7200"), faults: faults);
        DmaBuffer buffer = rig.Driver.AllocateBuffer(16 * MachineRig.SectorSize);
        long first = BadLba - 5;
        RegisterH2DFis fis = mode == DmaMode.Lba28 ? AtaCommands.ReadDma28(first, 16) : AtaCommands.ReadDma48(first, 16);

        CommandResult result = rig.Execute(AhciCommand.Read(fis, buffer.Segment));

        AssertTaskFileError(result, AtaError.Unc);
        RegisterD2HFis d2h = rig.ReceivedRegisterFis();
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, d2h.Status & (AtaStatus.Drdy | AtaStatus.Err | AtaStatus.Bsy));
        Assert.Equal(AtaError.Unc, d2h.Error);
        Assert.Equal((ulong)BadLba, d2h.Lba);
        Assert.Equal(1, rig.Drive.Statistics.UncorrectableErrors);

        // The sectors before the bad one still read; a rewrite of the bad one reallocates it.
        rig.Recover();
        Assert.Equal(new byte[5 * MachineRig.SectorSize], rig.Read(mode, first, 5 * MachineRig.SectorSize));
        byte[] fresh = MachineRig.Pattern(MachineRig.SectorSize, 9, BadLba);
        rig.Write(mode, BadLba, fresh);
        Assert.True(rig.Flush().Succeeded);
        Assert.Equal(fresh, rig.Read(mode, BadLba, MachineRig.SectorSize));
    }

    [Fact]
    public void A_queued_read_over_an_unreadable_sector_ends_in_an_sdb_with_err_and_log_10h_names_its_tag()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(BadLba);
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"), faults: faults);
        AhciTestDriver driver = rig.Driver;
        const int tags = 8, badTag = 5, sectors = 8;
        SimRandom random = rig.Simulation.CreateRandom("ncq-error");
        var lbas = new long[tags];
        var data = new byte[tags][];
        for (int tag = 0; tag < tags; tag++)
        {
            lbas[tag] = tag == badTag ? BadLba - 2 : random.NextInt64(rig.CapacitySectors / sectors) * sectors;
            data[tag] = MachineRig.Pattern(sectors * MachineRig.SectorSize, (ulong)tag + 100, lbas[tag]);
            if (tag != badTag)
                rig.Write(DmaMode.Lba48, lbas[tag], data[tag]);
        }
        Assert.True(rig.Flush().Succeeded);
        DmaBuffer buffer = driver.AllocateBuffer(tags * sectors * MachineRig.SectorSize);
        var commands = new List<AhciCommand>();
        for (int tag = 0; tag < tags; tag++)
            commands.Add(AhciCommand.Read(AtaCommands.ReadFpdma(tag, lbas[tag], sectors), buffer.Slice(tag * sectors * 512, sectors * 512)));

        uint issued = driver.IssueQueued(MachineRig.Port, commands);
        CommandResult result = driver.WaitForCompletion(MachineRig.Port, issued);

        // What the interrupt handler finds: TFES from a Set Device Bits FIS carrying ERR, the failed tag still active.
        Assert.True(result.Has(PortInterrupts.Tfes), result.ToString());
        Assert.True(result.Has(PortInterrupts.Sdbs), result.ToString());
        Assert.Equal(AtaStatus.Err, result.Status & AtaStatus.Err);
        Assert.Equal(AtaError.Unc, result.Error);
        SetDeviceBitsFis sdb = rig.ReceivedSetDeviceBitsFis();
        Assert.Equal(AtaStatus.Err, sdb.Status & AtaStatus.Err);
        Assert.Equal(AtaError.Unc, sdb.Error);
        Assert.NotEqual(0u, result.SActive & (1u << badTag));
        uint unfinished = result.SActive;

        // Error handling: stop and restart the engine (clears PxSACT/PxCI), then read the NCQ Command Error log.
        rig.Recover();
        Assert.Equal(0u, driver.Read(MachineRig.Port, PortRegister.Sact));
        DmaBuffer log = driver.AllocateBuffer(512);
        CommandResult logRead = rig.Execute(AhciCommand.Read(AtaCommands.ReadLog(AtaCommands.NcqCommandErrorLog), log.Segment));
        Assert.True(logRead.Succeeded, logRead.ToString());
        byte[] page = log.Span.ToArray();
        Assert.Equal(0, page[0] & 0x80); // NQ clear: a queued command failed
        Assert.Equal(badTag, page[0] & 0x1F);
        Assert.Equal((byte)(AtaStatus.Drdy | AtaStatus.Err), page[2] & 0x7F);
        Assert.Equal((byte)AtaError.Unc, page[3]);
        long logLba = page[4] | (long)page[5] << 8 | (long)page[6] << 16 | (long)page[8] << 24 | (long)page[9] << 32 | (long)page[10] << 40;
        Assert.Equal(BadLba, logLba);
        Assert.Equal(0, page.Sum(b => b) & 0xFF); // byte 511 checksums the page

        // The driver retries the commands the error aborted (all but the failed one); they complete with their data.
        var retry = new List<AhciCommand>();
        for (int tag = 0; tag < tags; tag++)
        {
            if (tag != badTag && (unfinished & (1u << tag)) != 0)
                retry.Add(commands[tag]);
        }
        if (retry.Count > 0)
        {
            CommandResult retried = driver.WaitForCompletion(MachineRig.Port, driver.IssueQueued(MachineRig.Port, retry));
            Assert.True(retried.Succeeded, retried.ToString());
        }
        for (int tag = 0; tag < tags; tag++)
        {
            if (tag != badTag)
                Assert.True(data[tag].AsSpan().SequenceEqual(buffer.Span.Slice(tag * sectors * 512, sectors * 512)), $"tag {tag}");
        }
    }

    [Fact]
    public void Until_log_10h_is_read_the_drive_refuses_queued_commands_with_abrt()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(BadLba);
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"), faults: faults);
        AhciTestDriver driver = rig.Driver;
        DmaBuffer buffer = driver.AllocateBuffer(4096);
        CommandResult failed = driver.Execute(MachineRig.Port, AhciCommand.Read(AtaCommands.ReadFpdma(3, BadLba, 8), buffer.Segment));
        Assert.True(failed.Has(PortInterrupts.Tfes), failed.ToString());
        rig.Recover();

        CommandResult refused = driver.Execute(MachineRig.Port, AhciCommand.Read(AtaCommands.ReadFpdma(0, 0, 8), buffer.Segment));
        AssertTaskFileError(refused, AtaError.Abrt);
        rig.Recover();

        DmaBuffer log = driver.AllocateBuffer(512);
        Assert.True(rig.Execute(AhciCommand.Read(AtaCommands.ReadLog(AtaCommands.NcqCommandErrorLog), log.Segment)).Succeeded);
        Assert.Equal(3, log.Span[0] & 0x1F);
        CommandResult accepted = driver.Execute(MachineRig.Port, AhciCommand.Read(AtaCommands.ReadFpdma(0, 0, 8), buffer.Segment));
        Assert.True(accepted.Succeeded, accepted.ToString() + string.Join("\n", rig.Machine.Log.Entries));
    }

    public static TheoryData<bool, string> BadPrdts() => new()
    {
        { false, "far outside" },
        { false, "straddling the end" },
        { true, "far outside" },
        { true, "straddling the end" },
    };

    [Theory]
    [MemberData(nameof(BadPrdts))]
    public void A_prd_entry_outside_guest_memory_raises_hbfs_without_an_exception_and_the_port_recovers(bool write, string where)
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        AhciTestDriver driver = rig.Driver;
        const long lba = 2_000_000;
        byte[] before = MachineRig.Pattern(8192, 11, lba);
        rig.Write(DmaMode.Lba48, lba, before);
        Assert.True(rig.Flush().Succeeded);
        DmaBuffer good = driver.AllocateBuffer(4096);
        ulong outside = where == "far outside" ? 1UL << 40 : (ulong)driver.Memory.Size - 2048;
        RegisterH2DFis fis = write ? AtaCommands.WriteDma48(lba, 16) : AtaCommands.ReadDma48(lba, 16);

        // The first entry is good, the second is not.
        CommandResult result = rig.Execute(new AhciCommand(fis)
        {
            IsWrite = write,
            RawPrdt = [new PrdEntry { DataBase = good.Address, ByteCount = 4096 }, new PrdEntry { DataBase = outside, ByteCount = 4096 }],
        });

        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
        Assert.False(result.Succeeded);
        Assert.Contains(rig.Machine.Log.Entries, e => e.Level == Hardware.Emulator.Platform.DeviceLogLevel.Error);

        // The machine keeps running: time goes on, and the driver's recovery brings the port back.
        long now = rig.Simulation.Now;
        rig.Simulation.RunUntil(now + 50_000_000);
        Assert.Equal(now + 50_000_000, rig.Simulation.Now);
        rig.Recover();
        Assert.Equal(0u, driver.Read(MachineRig.Port, PortRegister.Is) & (uint)PortInterrupts.Hbfs);

        // A refused write left the disk as it was; reads and writes work again.
        Assert.Equal(before, rig.Read(DmaMode.Lba48, lba, 8192));
        byte[] after = MachineRig.Pattern(8192, 12, lba);
        rig.Write(DmaMode.Ncq, lba, after);
        Assert.Equal(after, rig.Read(DmaMode.Ncq, lba, 8192));
    }

    private static void AssertTaskFileError(CommandResult result, AtaError error)
    {
        Assert.False(result.Succeeded, result.ToString());
        Assert.True(result.Has(PortInterrupts.Tfes), result.ToString());
        Assert.Equal(AtaStatus.Err, result.Status & AtaStatus.Err);
        Assert.Equal(AtaStatus.None, result.Status & (AtaStatus.Bsy | AtaStatus.Drq));
        Assert.Equal(error, result.Error);
        Assert.Equal((uint)error, (result.TaskFileData >> 8) & 0xFF);
    }

    private static void AssertPortWorksAfterRecovery(MachineRig rig)
    {
        rig.Recover();
        byte[] data = MachineRig.Pattern(4096, 77, 4242);
        rig.Write(DmaMode.Lba48, 4242, data);
        Assert.Equal(data, rig.Read(DmaMode.Lba48, 4242, 4096));
    }
}
