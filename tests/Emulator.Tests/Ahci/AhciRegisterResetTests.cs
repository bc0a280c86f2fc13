using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Register values before any software has touched the HBA (only firmware ran), across configurations.</summary>
public class AhciRegisterResetTests
{
    public static TheoryData<int, SataGeneration, bool> Configurations()
    {
        var data = new TheoryData<int, SataGeneration, bool>();
        foreach (int ports in new[] { 1, 6, 32 })
            foreach (SataGeneration generation in Enum.GetValues<SataGeneration>())
                foreach (bool ncq in new[] { true, false })
                    data.Add(ports, generation, ncq);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Host_registers_hold_their_reset_values(int ports, SataGeneration generation, bool ncq)
    {
        using var platform = new TestPlatform(new AhciHbaOptions { Ports = ports, Generation = generation, SupportsNcq = ncq });
        AhciTestDriver driver = platform.CreateDriver();

        uint cap = driver.Read(HbaRegister.Cap);
        Assert.Equal(ports, HbaCapabilityFields.PortCount(cap));
        Assert.Equal(32, HbaCapabilityFields.CommandSlotCount(cap));
        Assert.Equal((int)generation, HbaCapabilityFields.InterfaceSpeed(cap));
        var flags = (HbaCapabilities)cap & ~(HbaCapabilities.NumberOfPortsMask | HbaCapabilities.NumberOfCommandSlotsMask | HbaCapabilities.InterfaceSpeedMask);
        var expected = HbaCapabilities.S64a | HbaCapabilities.Sam | HbaCapabilities.Sclo | HbaCapabilities.Ssntf | HbaCapabilities.Pmd;
        if (ncq)
            expected |= HbaCapabilities.Sncq;
        Assert.Equal(expected, flags);

        Assert.Equal((uint)GlobalHbaControl.Ae, driver.Read(HbaRegister.Ghc));
        Assert.Equal(0u, driver.Read(HbaRegister.Is));
        Assert.Equal(ports == 32 ? 0xFFFF_FFFFu : (1u << ports) - 1, driver.Read(HbaRegister.Pi));
        Assert.Equal(0x0001_0301u, driver.Read(HbaRegister.Vs));
        Assert.Equal(0u, driver.Read(HbaRegister.CccCtl));
        Assert.Equal(0u, driver.Read(HbaRegister.CccPorts));
        Assert.Equal(0u, driver.Read(HbaRegister.EmLoc));
        Assert.Equal(0u, driver.Read(HbaRegister.EmCtl));
        Assert.Equal(0u, driver.Read(HbaRegister.Cap2));
        Assert.Equal(0u, driver.Read(HbaRegister.Bohc));
    }

    public static TheoryData<PortRegister, uint> EmptyPortResetValues() => new()
    {
        { PortRegister.Clb, 0u },
        { PortRegister.Clbu, 0u },
        { PortRegister.Fb, 0u },
        { PortRegister.Fbu, 0u },
        { PortRegister.Is, 0u },
        { PortRegister.Ie, 0u },
        { PortRegister.Cmd, (uint)(PortCommand.Sud | PortCommand.Pod) },
        { PortRegister.Tfd, 0x7Fu },
        { PortRegister.Sig, 0xFFFF_FFFFu },
        { PortRegister.Ssts, 0u },
        { PortRegister.Sctl, 0u },
        { PortRegister.Serr, 0u },
        { PortRegister.Sact, 0u },
        { PortRegister.Ci, 0u },
        { PortRegister.Sntf, 0u },
        { PortRegister.Fbs, 0u },
        { PortRegister.Devslp, 0u },
    };

    [Theory]
    [MemberData(nameof(EmptyPortResetValues))]
    public void Every_port_without_a_device_holds_the_reset_value(PortRegister register, uint expected)
    {
        using var platform = new TestPlatform(new AhciHbaOptions { Ports = 32 });
        AhciTestDriver driver = platform.CreateDriver();
        platform.Simulation.Run();
        for (int port = 0; port < 32; port++)
            Assert.Equal(expected, driver.Read(port, register));
        Assert.Empty(platform.Warnings);
    }

    [Fact]
    public void A_port_with_a_disk_shows_the_link_signature_and_ready_status_after_power_on()
    {
        using var platform = new TestPlatform();
        platform.AttachScriptedDevice(2);
        AhciTestDriver driver = platform.CreateDriver();
        Assert.Equal(0x7Fu, driver.Read(2, PortRegister.Tfd)); // before the link is up
        platform.Simulation.Run();

        Assert.Equal(0x133u, driver.Read(2, PortRegister.Ssts)); // DET 3, Gen3, IPM active
        Assert.Equal(DeviceSignature.Ata, driver.Read(2, PortRegister.Sig));
        Assert.Equal(0x150u, driver.Read(2, PortRegister.Tfd)); // DRDY|DSC, error 01h
        Assert.Equal((uint)(SError.DiagExchanged | SError.DiagPhyRdyChange), driver.Read(2, PortRegister.Serr));
        Assert.Equal((uint)(PortInterrupts.Pcs | PortInterrupts.Prcs), driver.Read(2, PortRegister.Is));
        Assert.Equal(0u, driver.Read(HbaRegister.Is)); // nothing enabled in PxIE
        Assert.Equal(0u, driver.Read(1, PortRegister.Ssts));
    }
}
