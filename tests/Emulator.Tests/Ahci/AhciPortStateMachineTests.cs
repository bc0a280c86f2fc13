using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>PxCMD: FRE/FR, ST/CR, CCS, CLO, and what clearing ST does (AHCI 1.3.1, 10.3).</summary>
public class AhciPortStateMachineTests
{
    private static (TestPlatform Platform, AhciTestDriver Driver, ScriptedSataDevice Device) Build()
    {
        var platform = new TestPlatform();
        ScriptedSataDevice device = platform.AttachScriptedDevice(0);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        platform.Simulation.Run();
        return (platform, driver, device);
    }

    private static uint Cmd(AhciTestDriver driver) => driver.Read(0, PortRegister.Cmd);

    [Fact]
    public void Fre_sets_fr_and_clearing_it_drops_fr()
    {
        var (platform, driver, _) = Build();
        using var _ = platform;
        driver.Write(0, PortRegister.Fb, 0x10_0000);
        driver.Write(0, PortRegister.Cmd, Cmd(driver) | (uint)PortCommand.Fre);
        Assert.Equal(PortCommand.Fre | PortCommand.Fr, (PortCommand)Cmd(driver) & (PortCommand.Fre | PortCommand.Fr));
        driver.Write(0, PortRegister.Cmd, Cmd(driver) & ~(uint)PortCommand.Fre);
        Assert.Equal(PortCommand.None, (PortCommand)Cmd(driver) & (PortCommand.Fre | PortCommand.Fr));
        Assert.Empty(platform.Warnings);
    }

    [Fact]
    public void St_sets_cr_and_clearing_st_clears_ci_sact_ccs_and_cr()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        Assert.Equal(PortCommand.St | PortCommand.Cr, (PortCommand)Cmd(driver) & (PortCommand.St | PortCommand.Cr));
        // The NCQ command is accepted and never completed; the non-queued one never completes at all.
        rig.Device.OnCommand = fis => ScriptedSataDevice.IsQueued(fis)
            ? new DeviceScript().RegisterD2H(AtaStatus.Drdy, interrupt: false)
            : new DeviceScript();
        var buffer = driver.AllocateBuffer(4096);
        driver.Issue(0, AhciCommand.Read(AtaCommands.ReadFpdma(9, 0, 8), buffer.Segment));
        driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()) with { Slot = 12 }); // after slot 9 in the round robin
        Assert.True(driver.RunUntil(() => rig.Device.Commands.Count == 2));
        Assert.Equal(1u << 9, driver.Read(0, PortRegister.Sact));
        Assert.Equal(1u << 12, driver.Read(0, PortRegister.Ci));
        Assert.Equal(12, PortCommandFields.CurrentCommandSlot(Cmd(driver)));

        driver.Write(0, PortRegister.Cmd, Cmd(driver) & ~(uint)PortCommand.St);

        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        Assert.Equal(0u, driver.Read(0, PortRegister.Sact));
        Assert.Equal(0, PortCommandFields.CurrentCommandSlot(Cmd(driver)));
        Assert.Equal(PortCommand.None, (PortCommand)Cmd(driver) & (PortCommand.St | PortCommand.Cr));
    }

    [Fact]
    public void Setting_st_with_fis_receive_off_is_logged()
    {
        var (platform, driver, _) = Build();
        using var _ = platform;
        driver.Write(0, PortRegister.Clb, 0x10_0000);
        driver.Write(0, PortRegister.Cmd, Cmd(driver) | (uint)PortCommand.St);
        Assert.Contains(platform.Warnings, w => w.Contains("FRE is clear"));
        Assert.NotEqual(0u, Cmd(driver) & (uint)PortCommand.Cr);
    }

    [Fact]
    public void Setting_st_while_the_device_is_busy_is_logged_and_commands_wait_for_ready()
    {
        using var platform = new TestPlatform();
        ScriptedSataDevice device = platform.AttachScriptedDevice(0);
        device.ResetLatency = 1_000_000; // the signature (and BSY clearing) comes late
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        driver.StartPort(0, timeout: 0); // returns at once: device still busy, ST not set
        driver.RunUntil(() => driver.DevicePresent(0));
        Assert.NotEqual(0u, driver.Read(0, PortRegister.Tfd) & (uint)AtaStatus.Bsy);

        driver.Write(0, PortRegister.Cmd, Cmd(driver) | (uint)PortCommand.St);
        Assert.Contains(platform.Warnings, w => w.Contains("device is busy"));
        int slot = driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()));
        CommandResult result = driver.WaitForCompletion(0, 1u << slot);

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(device.Commands[0].Time >= 1_000_000, "the command went out only after the signature cleared BSY");
    }

    [Fact]
    public void Command_list_override_clears_bsy_and_drq_and_reads_back_zero()
    {
        using var platform = new TestPlatform();
        ScriptedSataDevice device = platform.AttachScriptedDevice(0);
        device.ResetLatency = 1_000_000_000;
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        driver.RunUntil(() => driver.DevicePresent(0));
        Assert.Equal(0xFFu, driver.Read(0, PortRegister.Tfd)); // 7Fh with BSY: COMINIT seen, no signature yet

        driver.Write(0, PortRegister.Cmd, Cmd(driver) | (uint)PortCommand.Clo);

        Assert.Equal(0x77u, driver.Read(0, PortRegister.Tfd));
        Assert.Equal(0u, Cmd(driver) & (uint)PortCommand.Clo);
    }

    [Fact]
    public void Command_issue_while_stopped_is_ignored_and_logged()
    {
        var (platform, driver, device) = Build();
        using var _ = platform;
        driver.Write(0, PortRegister.Ci, 1);
        driver.Write(0, PortRegister.Sact, 1);
        platform.Simulation.Run();
        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        Assert.Equal(0u, driver.Read(0, PortRegister.Sact));
        Assert.Empty(device.Commands);
        Assert.Equal(2, platform.Warnings.Count(w => w.Contains("while PxCMD.ST is clear")));
    }

    [Fact]
    public void Non_queued_commands_go_out_one_at_a_time_in_slot_order_with_bsy_and_ccs_showing_the_active_one()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        var observed = new List<(int Ccs, uint Tfd, long Time)>();
        rig.Device.OnCommand = _ =>
        {
            observed.Add((PortCommandFields.CurrentCommandSlot(Cmd(driver)), driver.Read(0, PortRegister.Tfd), rig.Platform.Simulation.Now));
            return new DeviceScript().After(10_000).RegisterD2H();
        };
        for (int slot = 0; slot < 4; slot++)
            driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()) with { Slot = slot * 2 + 1 });

        CommandResult result = driver.WaitForCompletion(0, 0b1010_1010);

        Assert.True(result.Completed, result.ToString());
        Assert.Equal([1, 3, 5, 7], observed.Select(o => o.Ccs));
        Assert.All(observed, o => Assert.NotEqual(0u, o.Tfd & (uint)AtaStatus.Bsy));
        for (int i = 1; i < observed.Count; i++)
            Assert.True(observed[i].Time - observed[i - 1].Time >= 10_000);
    }
}
