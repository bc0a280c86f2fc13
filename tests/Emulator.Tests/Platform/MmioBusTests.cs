using Hardware.Emulator.Platform;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Platform;

public class MmioBusTests
{
    private static (PciBus Pci, MmioBus Mmio, DeviceLog Log, TestPciFunction Function, PciAddress At) Build()
    {
        var log = new DeviceLog(new Sim());
        var pci = new PciBus(log);
        var mmio = new MmioBus(log);
        var function = new TestPciFunction(0x1000, 0x100);
        pci.Attach(function, 2);
        PciFirmware.AssignResources(pci, mmio);
        return (pci, mmio, log, function, new PciAddress(0, 2, 0));
    }

    [Fact]
    public void Accesses_inside_a_bar_reach_the_function_at_the_bar_offset()
    {
        var (_, mmio, _, function, _) = Build();
        ulong bar1 = function.GetBarBase(1);
        mmio.Write32(bar1 + 0x10, 0xCAFE);
        Assert.Equal(0xCAFEu, mmio.Read32(bar1 + 0x10));
        Assert.Equal((1, 0x10ul, 0xCAFEu), function.Writes.Single());
        Assert.Equal(0xA000_0000u | 0x0FFCu, mmio.Read32(function.GetBarBase(0) + 0xFFC));
    }

    [Fact]
    public void An_unmapped_read_returns_all_ones_and_is_logged()
    {
        var (_, mmio, log, _, _) = Build();
        Assert.Equal(0xFFFF_FFFFu, mmio.Read32(0xD000_0000));
        Assert.Contains(log.Entries, e => e.Source == "mmio" && e.Message.Contains("unmapped"));
    }

    [Fact]
    public void An_unmapped_write_is_dropped_and_logged()
    {
        var (_, mmio, log, function, _) = Build();
        mmio.Write32(0xD000_0000, 1);
        Assert.Empty(function.Writes);
        Assert.Contains(log.Entries, e => e.Source == "mmio" && e.Message.Contains("dropped"));
    }

    [Fact]
    public void With_memory_decoding_disabled_the_bar_does_not_answer()
    {
        var (pci, mmio, log, function, at) = Build();
        ulong bar0 = function.GetBarBase(0);
        pci.WriteConfig16(at, (int)PciConfigRegister.Command, 0);
        Assert.Equal(0xFFFF_FFFFu, mmio.Read32(bar0));
        mmio.Write32(bar0, 5);
        Assert.Empty(function.Writes);
        Assert.Contains(log.Entries, e => e.Message.Contains("decoding is disabled"));
    }

    [Fact]
    public void Moving_a_bar_moves_the_decoded_range()
    {
        var (pci, mmio, _, function, at) = Build();
        ulong old = function.GetBarBase(0);
        pci.WriteConfig32(at, (int)PciConfigRegister.Bar0, 0xE000_0000);
        mmio.Write32(0xE000_0008, 9);
        Assert.Equal((0, 8ul, 9u), function.Writes.Single());
        Assert.Equal(0xFFFF_FFFFu, mmio.Read32(old + 8));
    }

    [Fact]
    public void A_misaligned_access_is_logged_and_not_forwarded()
    {
        var (_, mmio, log, function, _) = Build();
        ulong bar0 = function.GetBarBase(0);
        Assert.Equal(0xFFFF_FFFFu, mmio.Read32(bar0 + 2));
        mmio.Write32(bar0 + 1, 3);
        Assert.Empty(function.Writes);
        Assert.Contains(log.Entries, e => e.Message.Contains("misaligned"));
    }

    [Fact]
    public void Turning_memory_decoding_off_after_an_access_stops_the_next_access()
    {
        var (pci, mmio, log, function, at) = Build();
        ulong bar0 = function.GetBarBase(0);
        mmio.Write32(bar0, 1);
        pci.WriteConfig16(at, (int)PciConfigRegister.Command, 0);
        mmio.Write32(bar0, 2);
        Assert.Equal((0, 0ul, 1u), function.Writes.Single());
        Assert.Contains(log.Entries, e => e.Message.Contains("decoding is disabled"));
    }

    [Fact]
    public void Moving_a_bar_after_an_access_moves_the_next_access()
    {
        var (pci, mmio, _, function, at) = Build();
        ulong old = function.GetBarBase(0);
        mmio.Write32(old + 4, 1);
        pci.WriteConfig32(at, (int)PciConfigRegister.Bar0, 0xE000_0000);
        mmio.Write32(0xE000_0008, 9);
        Assert.Equal([(0, 4ul, 1u), (0, 8ul, 9u)], function.Writes);
        Assert.Equal(0xFFFF_FFFFu, mmio.Read32(old + 4));
    }

    [Fact]
    public void Alternating_accesses_to_two_bars_reach_each_bar()
    {
        var (_, mmio, _, function, _) = Build();
        ulong bar0 = function.GetBarBase(0);
        ulong bar1 = function.GetBarBase(1);
        mmio.Write32(bar0 + 4, 1);
        mmio.Write32(bar1 + 8, 2);
        mmio.Write32(bar0 + 12, 3);
        Assert.Equal([(0, 4ul, 1u), (1, 8ul, 2u), (0, 12ul, 3u)], function.Writes);
    }
}
