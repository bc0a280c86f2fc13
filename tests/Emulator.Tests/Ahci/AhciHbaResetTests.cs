using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

public class AhciHbaResetTests
{
    [Fact]
    public void Hba_reset_reads_one_for_the_reset_latency_then_clears_itself()
    {
        using var platform = new TestPlatform(new AhciHbaOptions { HbaResetLatency = 7_000 });
        AhciTestDriver driver = platform.CreateDriver();
        driver.EnableDevice();
        long start = platform.Simulation.Now;
        driver.Write(HbaRegister.Ghc, (uint)GlobalHbaControl.Hr);
        Assert.Equal((uint)(GlobalHbaControl.Hr | GlobalHbaControl.Ae), driver.Read(HbaRegister.Ghc));
        Assert.True(driver.RunUntil(() => (driver.Read(HbaRegister.Ghc) & 1) == 0));
        Assert.Equal(7_000, platform.Simulation.Now - start);
        Assert.Equal((uint)GlobalHbaControl.Ae, driver.Read(HbaRegister.Ghc));
    }

    [Fact]
    public void Hba_reset_restores_the_spec_reset_values_but_keeps_the_base_addresses()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        driver.Write(0, PortRegister.Sctl, SControl.Compose(SControl.DetNoAction, 2));
        ulong clb = driver.CommandListAddress(0);
        ulong fb = driver.ReceivedFisAddress(0);

        Assert.True(driver.ResetHba());

        Assert.Equal((uint)GlobalHbaControl.Ae, driver.Read(HbaRegister.Ghc)); // IE cleared
        Assert.Equal(0u, driver.Read(HbaRegister.Is));
        Assert.Equal((uint)clb, driver.Read(0, PortRegister.Clb));
        Assert.Equal((uint)fb, driver.Read(0, PortRegister.Fb));
        Assert.Equal(0u, driver.Read(0, PortRegister.Ie));
        Assert.Equal((uint)(PortCommand.Sud | PortCommand.Pod), driver.Read(0, PortRegister.Cmd));
        Assert.Equal(0u, driver.Read(0, PortRegister.Sctl));
        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        Assert.Equal(0u, driver.Read(0, PortRegister.Sact));
        Assert.Equal(0x7Fu, driver.Read(0, PortRegister.Tfd));
        Assert.Equal(DeviceSignature.None, driver.Read(0, PortRegister.Sig));
    }

    [Fact]
    public void After_hba_reset_the_hba_sends_comreset_and_the_device_signs_on_again()
    {
        using var rig = AhciRig.Start();
        int resets = rig.Device.ComResets.Count;
        Assert.True(rig.Driver.ResetHba());
        Assert.True(rig.Driver.RunUntil(() => rig.Driver.Read(0, PortRegister.Sig) == DeviceSignature.Ata));
        Assert.Equal(resets + 1, rig.Device.ComResets.Count);
        Assert.Equal(0x133u, rig.Driver.Read(0, PortRegister.Ssts));
        Assert.Equal(0x150u, rig.Driver.Read(0, PortRegister.Tfd));
    }

    [Fact]
    public void Reset_during_a_command_drops_it_and_re_enabling_runs_new_commands()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.CommandLatency = 1_000_000;
        driver.Issue(0, AhciCommand.NoData(AtaCommands.FlushExt()));
        driver.RunUntil(() => rig.Device.Commands.Count == 1);

        Assert.True(driver.ResetHba());
        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        driver.EnableAhci();
        driver.EnableInterrupts();
        Assert.True(driver.StartPort(0));
        rig.Device.CommandLatency = 5_000;
        CommandResult result = rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(2, rig.Device.Commands.Count);
        // The first command's completion died with the reset: nothing stray arrives later.
        rig.Platform.Simulation.Run();
        Assert.Equal(0u, driver.Read(0, PortRegister.Ci));
        Assert.Empty(rig.Platform.Warnings);
    }
}
