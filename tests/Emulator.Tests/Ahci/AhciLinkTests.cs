using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>COMRESET through PxSCTL.DET, speed negotiation, and device detection in PxSSTS/PxSIG/PxSERR.</summary>
public class AhciLinkTests
{
    public static TheoryData<SataGeneration, uint, SataGeneration, SataGeneration> Negotiations()
    {
        var data = new TheoryData<SataGeneration, uint, SataGeneration, SataGeneration>();
        foreach (SataGeneration hba in Enum.GetValues<SataGeneration>())
            foreach (uint limit in new uint[] { 0, 1, 2, 3 })
                foreach (SataGeneration device in Enum.GetValues<SataGeneration>())
                {
                    int expected = Math.Min((int)hba, (int)device);
                    if (limit != 0)
                        expected = Math.Min(expected, (int)limit);
                    data.Add(hba, limit, device, (SataGeneration)expected);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Negotiations))]
    public void Comreset_negotiates_the_slowest_of_hba_sctl_limit_and_device(SataGeneration hba, uint limit, SataGeneration device, SataGeneration expected)
    {
        using var platform = new TestPlatform(new AhciHbaOptions { Generation = hba });
        ScriptedSataDevice disk = platform.AttachScriptedDevice(0, device);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);

        Assert.True(driver.ComReset(0, limit));

        Assert.Equal(expected, disk.ComResets[^1]);
        Assert.Equal(SStatus.Compose(SStatus.DetPresentPhy, (uint)expected, SStatus.IpmActive), driver.Read(0, PortRegister.Ssts));
    }

    [Fact]
    public void While_det_is_1_the_link_is_down_and_the_task_file_reads_7f()
    {
        using var platform = new TestPlatform();
        ScriptedSataDevice disk = platform.AttachScriptedDevice(0);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        platform.Simulation.Run();
        int resets = disk.ComResets.Count;

        driver.Write(0, PortRegister.Sctl, SControl.DetComReset);
        platform.Simulation.RunUntil(platform.Simulation.Now + 1_000_000);

        Assert.Equal(0u, driver.Read(0, PortRegister.Ssts));
        Assert.Equal(0x7Fu, driver.Read(0, PortRegister.Tfd));
        Assert.Equal(DeviceSignature.None, driver.Read(0, PortRegister.Sig));
        Assert.Equal(resets, disk.ComResets.Count); // the device resets when COMRESET is released
    }

    [Fact]
    public void Releasing_comreset_brings_the_link_up_with_diag_x_pcs_and_the_signature()
    {
        using var platform = new TestPlatform(new AhciHbaOptions { LinkUpLatency = 20_000 });
        ScriptedSataDevice disk = platform.AttachScriptedDevice(0);
        disk.ResetLatency = 3_000;
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        platform.Simulation.Run();
        driver.Write(0, PortRegister.Serr, 0xFFFF_FFFF);
        driver.Write(0, PortRegister.Sctl, SControl.DetComReset);
        driver.Write(0, PortRegister.Sctl, SControl.DetNoAction);
        long released = platform.Simulation.Now;

        platform.Simulation.RunUntil(released + 20_000);
        Assert.Equal(0x133u, driver.Read(0, PortRegister.Ssts));
        Assert.Equal(0xFFu, driver.Read(0, PortRegister.Tfd)); // BSY until the signature
        Assert.Equal((uint)(SError.DiagExchanged | SError.DiagPhyRdyChange), driver.Read(0, PortRegister.Serr));
        Assert.Equal((uint)(PortInterrupts.Pcs | PortInterrupts.Prcs), driver.Read(0, PortRegister.Is));

        platform.Simulation.RunUntil(released + 23_000);
        Assert.Equal(DeviceSignature.Ata, driver.Read(0, PortRegister.Sig));
        Assert.Equal(0x150u, driver.Read(0, PortRegister.Tfd));
    }

    [Theory]
    [InlineData(DeviceSignature.Ata)]
    [InlineData(DeviceSignature.Atapi)]
    [InlineData(DeviceSignature.PortMultiplier)]
    public void The_first_d2h_fis_after_reset_sets_the_signature(uint signature)
    {
        using var platform = new TestPlatform();
        ScriptedSataDevice device = platform.AttachScriptedDevice(0);
        device.Signature = signature;
        AhciTestDriver driver = platform.CreateDriver();
        platform.Simulation.Run();
        Assert.Equal(signature, driver.Read(0, PortRegister.Sig));
    }

    [Fact]
    public void Det_4_takes_the_phy_offline_until_det_returns_to_0()
    {
        using var platform = new TestPlatform();
        platform.AttachScriptedDevice(0);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        platform.Simulation.Run();

        driver.Write(0, PortRegister.Sctl, SControl.DetDisable);
        platform.Simulation.Run();
        Assert.Equal(SStatus.DetOffline, SStatus.Det(driver.Read(0, PortRegister.Ssts)));

        driver.Write(0, PortRegister.Sctl, SControl.DetNoAction);
        platform.Simulation.Run();
        Assert.Equal(0x133u, driver.Read(0, PortRegister.Ssts));
    }

    [Fact]
    public void Comreset_on_a_port_without_a_device_leaves_it_empty()
    {
        using var platform = new TestPlatform();
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        Assert.False(driver.ComReset(1, timeout: 1_000_000));
        Assert.Equal(0u, driver.Read(1, PortRegister.Ssts));
        Assert.Equal(0u, driver.Read(1, PortRegister.Serr));
    }

    [Fact]
    public void Changing_det_while_the_port_runs_is_logged()
    {
        using var rig = AhciRig.Start();
        rig.Driver.Write(0, PortRegister.Sctl, SControl.DetComReset);
        Assert.Contains(rig.Platform.Warnings, w => w.Contains("PxSCTL.DET changed") && w.Contains("ST is set"));
    }

    [Fact]
    public void Software_reset_through_device_control_fises_makes_the_device_sign_on_again()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        int resets = rig.Device.ComResets.Count;
        var assert = new RegisterH2DFis { IsCommand = false, Control = 0x04 };
        var release = new RegisterH2DFis { IsCommand = false, Control = 0x00 };

        CommandResult first = driver.Execute(0, new AhciCommand(assert) { ClearBusyUponOk = true, Reset = true });
        Assert.True(first.Completed, first.ToString());
        int slot = driver.Issue(0, new AhciCommand(release) { ClearBusyUponOk = true });
        Assert.True(driver.RunUntil(() => rig.Device.ComResets.Count == resets + 1));
        Assert.NotEqual(0u, driver.Read(0, PortRegister.Tfd) & (uint)AtaStatus.Bsy);
        Assert.True(driver.RunUntil(() => (driver.Read(0, PortRegister.Tfd) & 0x88) == 0));

        Assert.Equal(0u, driver.Read(0, PortRegister.Ci) & (1u << slot));
        Assert.Equal(DeviceSignature.Ata, driver.Read(0, PortRegister.Sig));
        Assert.Empty(rig.Device.Commands); // control FISes are not commands
    }
}
