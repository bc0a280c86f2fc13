using Hardware.Emulator.Ahci;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Configuration space at reset, as an OS probing the bus sees it (QEMU ahci-test's pci-config checks).</summary>
public class AhciPciConfigTests
{
    private static (TestPlatform Platform, PciBus Bus, PciAddress At) Build(AhciHbaOptions? options = null)
    {
        var platform = new TestPlatform(options);
        return (platform, platform.Pci, AhciTestDriver.FindHba(platform.Pci)!.Value);
    }

    [Fact]
    public void The_hba_identifies_as_an_ich9_ahci_controller_at_00_1f_2()
    {
        var (platform, bus, at) = Build();
        using var _ = platform;
        Assert.Equal(new PciAddress(0, 31, 2), at);
        Assert.Equal(0x2922_8086u, bus.ReadConfig32(at, 0x00));
        Assert.Equal(0x0106_0102u, bus.ReadConfig32(at, 0x08)); // class 01/06/01, revision 02
        Assert.Equal(0x2922_8086u, bus.ReadConfig32(at, 0x2C)); // subsystem
        Assert.Equal((byte)0x00, bus.ReadConfig8(at, (int)PciConfigRegister.HeaderType));
        Assert.Equal((byte)PciInterruptPin.IntA, bus.ReadConfig8(at, (int)PciConfigRegister.InterruptPin));
        Assert.Equal((byte)0xFF, bus.ReadConfig8(at, (int)PciConfigRegister.InterruptLine));
    }

    [Fact]
    public void At_reset_decoding_and_bus_mastering_are_off_and_the_capability_list_is_announced()
    {
        var (platform, bus, at) = Build();
        using var _ = platform;
        Assert.Equal((ushort)0, bus.ReadConfig16(at, (int)PciConfigRegister.Command));
        Assert.Equal((ushort)PciStatus.CapabilitiesList, bus.ReadConfig16(at, (int)PciConfigRegister.Status));
    }

    [Theory]
    [InlineData(1, 0x800u)]
    [InlineData(6, 0x800u)]
    [InlineData(32, 0x2000u)]
    public void Only_bar5_is_implemented_and_it_sizes_as_the_abar(int ports, uint size)
    {
        var (platform, bus, at) = Build(new AhciHbaOptions { Ports = ports });
        using var _ = platform;
        for (int bar = 0; bar < 6; bar++)
        {
            int offset = 0x10 + bar * 4;
            bus.WriteConfig32(at, offset, 0xFFFF_FFFF);
            uint expected = bar == 5 ? ~(size - 1) : 0u; // 32-bit, non-prefetchable memory
            Assert.Equal(expected, bus.ReadConfig32(at, offset));
        }
    }

    [Fact]
    public void The_capability_list_is_msi_at_80h_then_sata_at_a8h()
    {
        var (platform, bus, at) = Build();
        using var _ = platform;
        Assert.Equal((byte)0x80, bus.ReadConfig8(at, (int)PciConfigRegister.CapabilitiesPointer));
        Assert.Equal((byte)PciCapabilityId.Msi, bus.ReadConfig8(at, 0x80));
        Assert.Equal((byte)0xA8, bus.ReadConfig8(at, 0x81));
        Assert.Equal((byte)PciCapabilityId.Sata, bus.ReadConfig8(at, 0xA8));
        Assert.Equal((byte)0x00, bus.ReadConfig8(at, 0xA9));
        Assert.Equal((ushort)0x0010, bus.ReadConfig16(at, 0xAA)); // SATA capability revision 1.0
    }

    [Fact]
    public void The_msi_capability_is_single_message_64_bit_and_disabled_at_reset()
    {
        var (platform, bus, at) = Build();
        using var _ = platform;
        ushort control = bus.ReadConfig16(at, 0x82);
        Assert.Equal(MsiCapabilityLayout.Address64Capable, control);
        Assert.Equal(0u, control & (uint)MsiCapabilityLayout.MultipleMessageCapableMask);
        Assert.Equal(0u, bus.ReadConfig32(at, 0x84));
        Assert.Equal(0u, bus.ReadConfig32(at, 0x88));
        Assert.Equal((ushort)0, bus.ReadConfig16(at, 0x8C));

        bus.WriteConfig16(at, 0x82, (ushort)(control | MsiCapabilityLayout.Enable | MsiCapabilityLayout.MultipleMessageCapableMask));
        Assert.Equal((ushort)(MsiCapabilityLayout.Address64Capable | MsiCapabilityLayout.Enable), bus.ReadConfig16(at, 0x82));
    }

    [Fact]
    public void Firmware_assigns_the_abar_routes_pin_a_and_enables_memory_but_not_bus_mastering()
    {
        var (platform, bus, at) = Build();
        using var _ = platform;
        platform.PowerOn();
        Assert.Equal(0xFEB0_0000u, bus.ReadConfig32(at, 0x24));
        Assert.Equal((byte)PciFirmware.RouteIntx(31, 1), bus.ReadConfig8(at, (int)PciConfigRegister.InterruptLine));
        Assert.Equal((ushort)PciCommand.MemorySpace, bus.ReadConfig16(at, (int)PciConfigRegister.Command));
    }
}
