using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Errors as a driver sees them: TFES, HBFS, OFS, bus mastering off; none of them throws out of the emulator.</summary>
public class AhciErrorTests
{
    public static TheoryData<AtaError> DeviceErrors() => [AtaError.Abrt, AtaError.Idnf, AtaError.Unc];

    [Theory]
    [MemberData(nameof(DeviceErrors))]
    public void An_error_d2h_fis_sets_tfes_keeps_the_ci_bit_and_shows_the_error_in_the_task_file(AtaError error)
    {
        using var rig = AhciRig.Start();
        rig.Device.OnCommand = _ => new DeviceScript().After(1_000).RegisterD2H(AtaStatus.Drdy | AtaStatus.Err, error);
        CommandResult result = rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));

        Assert.False(result.Completed, result.ToString());
        Assert.True(result.Has(PortInterrupts.Tfes | PortInterrupts.Dhrs), result.ToString());
        Assert.Equal(AtaStatus.Drdy | AtaStatus.Err, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(1u << result.Slot, result.CommandIssue);
        Assert.Equal(result.Slot, PortCommandFields.CurrentCommandSlot(rig.Driver.Read(0, PortRegister.Cmd)));
    }

    [Fact]
    public void After_a_task_file_error_nothing_more_is_issued_until_software_restarts_the_port()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.OnCommand = fis => fis.Command == AtaCommands.FlushCacheExt
            ? new DeviceScript().RegisterD2H(AtaStatus.Drdy | AtaStatus.Err, AtaError.Abrt)
            : new DeviceScript().After(1_000).RegisterD2H();
        driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()) with { Slot = 0 });
        driver.Issue(0, AhciCommand.NoData(AtaCommands.Flush()) with { Slot = 1 });
        rig.Platform.Simulation.RunUntil(rig.Platform.Simulation.Now + 10_000_000);

        Assert.Single(rig.Device.Commands);
        Assert.Equal(0b11u, driver.Read(0, PortRegister.Ci));

        // Error recovery: stop the engine (clears PxCI), clear status, start again, retry.
        Assert.True(driver.StopPort(0));
        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        Assert.True(driver.StartPort(0));
        CommandResult retry = rig.Execute(AhciCommand.NoData(AtaCommands.Flush()));
        Assert.True(retry.Succeeded, retry.ToString());
    }

    [Fact]
    public void An_ncq_error_through_set_device_bits_sets_tfes_and_leaves_the_failed_tag_in_sact()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.OnCommand = fis => fis.NcqTag == 2
            ? new DeviceScript().RegisterD2H(interrupt: false).After(5_000)
                .SetDeviceBits(0, AtaStatus.Drdy | AtaStatus.Err, AtaError.Unc)
            : new DeviceScript().RegisterD2H(interrupt: false).After(1_000).SetDeviceBits(1u << fis.NcqTag);
        var commands = new[] { 1, 2, 3 }.Select(tag => AhciCommand.NoData(AtaCommands.ReadFpdma(tag, tag, 1))).ToList();

        driver.IssueQueued(0, commands);
        CommandResult result = driver.WaitForCompletion(0, 0b1110);

        Assert.True(result.Has(PortInterrupts.Tfes | PortInterrupts.Sdbs), result.ToString());
        Assert.Equal(1u << 2, result.SActive);
        Assert.Equal(0u, result.CommandIssue);
        Assert.Equal(AtaError.Unc, result.Error);
        Assert.Equal(AtaStatus.Err, result.Status & AtaStatus.Err);
    }

    [Fact]
    public void A_prd_outside_guest_memory_raises_hbfs_and_refuses_the_data_without_throwing()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        ulong beyond = (ulong)driver.Memory.Size + 0x1000;
        rig.Device.OnCommand = _ => new DeviceScript().After(1_000).DataIn(4096, AhciRig.Pattern).After(1_000).RegisterD2H();
        var command = new AhciCommand(AtaCommands.ReadDma48(0, 8))
        {
            RawPrdt = [new PrdEntry { DataBase = beyond, ByteCount = 4096 }],
        };

        CommandResult result = rig.Execute(command);

        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
        Assert.False(result.Completed);
        Assert.Equal([DmaStatus.HostBusFatal], rig.Device.DataPhases);
        ushort status = driver.ReadConfig16((int)PciConfigRegister.Status);
        Assert.NotEqual(0, status & (ushort)PciStatus.ReceivedMasterAbort);
        Assert.Contains(rig.Platform.Log.Entries, e => e.Level == DeviceLogLevel.Error && e.Message.Contains("outside guest memory"));
    }

    [Fact]
    public void A_prd_straddling_the_end_of_guest_memory_raises_hbfs()
    {
        using var rig = AhciRig.Start();
        ulong lastPage = (ulong)rig.Driver.Memory.Size - 2048;
        rig.Device.OnCommand = _ => new DeviceScript().DataIn(4096, AhciRig.Pattern).RegisterD2H();
        CommandResult result = rig.Execute(new AhciCommand(AtaCommands.ReadDma48(0, 8))
        {
            RawPrdt = [new PrdEntry { DataBase = lastPage, ByteCount = 4096 }],
        });
        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
    }

    [Fact]
    public void A_command_table_outside_guest_memory_raises_hbfs_and_the_device_never_sees_the_command()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        int slot = 4;
        var header = new CommandHeader { CommandFisLength = 5, PrdTableLength = 1, CommandTableBase = 0x1_0000_0000 };
        header.Write(driver.Memory.GetSpan(driver.CommandListAddress(0) + (ulong)(slot * CommandHeader.Size), CommandHeader.Size));

        driver.Write(0, PortRegister.Ci, 1u << slot);
        CommandResult result = driver.WaitForCompletion(0, 1u << slot);

        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
        Assert.Empty(rig.Device.Commands);
    }

    [Fact]
    public void With_bus_mastering_disabled_no_dma_happens_and_the_port_reports_hbfs()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        DmaBuffer buffer = driver.AllocateBuffer(4096);
        rig.Device.OnCommand = _ => new DeviceScript().DataIn(4096, AhciRig.Pattern).RegisterD2H();
        driver.EnableDevice(busMaster: false);

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 8), buffer.Segment));

        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
        Assert.Empty(rig.Device.Commands); // the command list itself could not be fetched
        Assert.All(buffer.Span.ToArray(), b => Assert.Equal(0, b));
        Assert.Contains(rig.Platform.Warnings, w => w.Contains("bus mastering"));
    }

    [Fact]
    public void Bus_mastering_switched_off_mid_command_refuses_the_data_phase()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        DmaBuffer buffer = driver.AllocateBuffer(4096);
        rig.Device.OnCommand = _ =>
        {
            driver.EnableDevice(busMaster: false); // the driver turns DMA off while the device works on the command
            return new DeviceScript().After(1_000).DataIn(4096, AhciRig.Pattern).RegisterD2H();
        };

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 8), buffer.Segment));

        Assert.True(result.Has(PortInterrupts.Hbfs), result.ToString());
        Assert.Equal([DmaStatus.HostBusFatal], rig.Device.DataPhases);
        Assert.All(buffer.Span.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void More_data_than_the_prdt_describes_is_an_overflow()
    {
        using var rig = AhciRig.Start();
        DmaBuffer buffer = rig.Driver.AllocateBuffer(4096);
        rig.Device.OnCommand = _ => new DeviceScript().DataIn(8192, AhciRig.Pattern).RegisterD2H();

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 16), buffer.Slice(0, 2048)));

        Assert.True(result.Has(PortInterrupts.Ofs), result.ToString());
        Assert.Equal([DmaStatus.Overflow], rig.Device.DataPhases);
        Assert.Equal(Enumerable.Range(0, 2048).Select(i => AhciRig.Pattern(i)).ToArray(), buffer.Span[..2048].ToArray());
        Assert.All(buffer.Span[2048..].ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_cfis_that_is_not_a_register_h2d_fis_is_an_interface_fatal_error()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        int slot = driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()) with { Slot = 6 });
        // Overwrite the FIS type in place before the HBA fetches it.
        ulong table = driver.ReadCommandHeader(0, slot).CommandTableBase;
        driver.Memory.GetSpan(table, 1)[0] = (byte)FisType.Data;

        CommandResult result = driver.WaitForCompletion(0, 1u << slot);

        Assert.True(result.Has(PortInterrupts.Ifs), result.ToString());
        Assert.NotEqual(0u, result.SError & (uint)SError.ErrProtocol);
        Assert.Empty(rig.Device.Commands);
    }
}
