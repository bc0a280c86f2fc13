using Hardware.Emulator.Platform;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Platform;

public class PciFirmwareTests
{
    [Fact]
    public void Firmware_places_bars_naturally_aligned_in_the_window_routes_intx_and_enables_memory_only()
    {
        var log = new DeviceLog(new Sim());
        var pci = new PciBus(log);
        var mmio = new MmioBus(log);
        var first = new TestPciFunction(0x100, 0x2000);
        var second = new TestPciFunction(0x800);
        pci.Attach(first, 1);
        pci.Attach(second, 31, 2);

        PciFirmware.AssignResources(pci, mmio, 0xFEB0_0000);

        Assert.Equal(0xFEB0_0000ul, first.GetBarBase(0));
        Assert.Equal(0xFEB0_2000ul, first.GetBarBase(1)); // 8 KiB aligned after the 256-byte BAR
        Assert.Equal(0xFEB0_4000ul, second.GetBarBase(0));
        var command = (PciCommand)pci.ReadConfig16(new PciAddress(0, 31, 2), (int)PciConfigRegister.Command);
        Assert.Equal(PciCommand.MemorySpace, command);
        // Pin B (2) of device 1 -> 16 + (1 + 1) % 4; of device 31 -> 16 + (31 + 1) % 4.
        Assert.Equal((byte)18, first.InterruptLine);
        Assert.Equal((byte)16, second.InterruptLine);
        Assert.DoesNotContain(log.Entries, e => e.Level >= DeviceLogLevel.Warning);
    }

    [Fact]
    public void A_bar_that_does_not_fit_in_the_window_is_left_unassigned_and_logged()
    {
        var log = new DeviceLog(new Sim());
        var pci = new PciBus(log);
        var function = new TestPciFunction(1u << 24);
        pci.Attach(function, 0);
        PciFirmware.AssignResources(pci, new MmioBus(log));
        Assert.Equal(0ul, function.GetBarBase(0));
        Assert.Contains(log.Entries, e => e.Level == DeviceLogLevel.Error && e.Source == "firmware");
    }
}
