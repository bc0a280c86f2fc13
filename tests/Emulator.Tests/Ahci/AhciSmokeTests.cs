using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

public class AhciSmokeTests
{
    [Fact]
    public void A_driver_brings_up_a_port_and_completes_a_non_data_command()
    {
        using var platform = new TestPlatform();
        ScriptedSataDevice device = platform.AttachScriptedDevice(0);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize();
        Assert.True(driver.StartPort(0), string.Join("\n", platform.Warnings));
        Assert.Equal(DeviceSignature.Ata, driver.Read(0, PortRegister.Sig));

        CommandResult result = driver.Execute(0, AhciCommand.NoData(AtaCommands.FlushExt()));

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(result.Has(PortInterrupts.Dhrs), result.ToString());
        Assert.Single(device.Commands);
        Assert.Equal(AtaCommands.FlushCacheExt, device.Commands[0].Fis.Command);
        Assert.True(driver.RunUntil(() => driver.InterruptCount >= 1, 1_000_000));
        Assert.Empty(platform.Warnings);
    }
}
