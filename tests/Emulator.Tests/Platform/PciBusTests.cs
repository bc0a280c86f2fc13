using Hardware.Emulator.Platform;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Platform;

public class PciBusTests
{
    private static (PciBus Bus, DeviceLog Log, TestPciFunction Function, PciAddress Address) Build(params uint[] bars)
    {
        var log = new DeviceLog(new Sim());
        var bus = new PciBus(log);
        var function = new TestPciFunction(bars);
        bus.Attach(function, 3, 1);
        return (bus, log, function, new PciAddress(0, 3, 1));
    }

    [Fact]
    public void An_empty_slot_reads_all_ones_at_every_width()
    {
        var (bus, _, _, _) = Build();
        var empty = new PciAddress(0, 4, 0);
        Assert.Equal(0xFFFF_FFFFu, bus.ReadConfig32(empty, 0));
        Assert.Equal((ushort)0xFFFF, bus.ReadConfig16(empty, 2));
        Assert.Equal((byte)0xFF, bus.ReadConfig8(empty, 0x0B));
    }

    [Fact]
    public void Identity_registers_read_back_and_ignore_writes()
    {
        var (bus, _, _, at) = Build();
        bus.WriteConfig32(at, 0x00, 0);
        bus.WriteConfig32(at, 0x08, 0);
        bus.WriteConfig32(at, 0x2C, 0);
        Assert.Equal(0x5678_1234u, bus.ReadConfig32(at, 0x00));
        Assert.Equal(0x0180_0007u, bus.ReadConfig32(at, 0x08));
        Assert.Equal(0xBBBB_AAAAu, bus.ReadConfig32(at, 0x2C));
        Assert.Equal((byte)PciInterruptPin.IntB, bus.ReadConfig8(at, (int)PciConfigRegister.InterruptPin));
        Assert.Equal([at], bus.Functions);
    }

    [Theory]
    [InlineData(16u)]
    [InlineData(4096u)]
    [InlineData(1u << 20)]
    public void Writing_all_ones_to_a_bar_reads_back_its_size_mask(uint size)
    {
        var (bus, _, function, at) = Build(size);
        bus.WriteConfig32(at, (int)PciConfigRegister.Bar0, 0xFFFF_FFFF);
        Assert.Equal(~(size - 1), bus.ReadConfig32(at, (int)PciConfigRegister.Bar0));
        bus.WriteConfig32(at, (int)PciConfigRegister.Bar0, 0xFEB0_0000);
        Assert.Equal(0xFEB0_0000ul & ~(ulong)(size - 1), function.GetBarBase(0));
    }

    [Fact]
    public void An_unimplemented_bar_reads_zero_even_after_all_ones_are_written()
    {
        var (bus, _, _, at) = Build(4096);
        bus.WriteConfig32(at, (int)PciConfigRegister.Bar1, 0xFFFF_FFFF);
        Assert.Equal(0u, bus.ReadConfig32(at, (int)PciConfigRegister.Bar1));
    }

    [Fact]
    public void The_command_register_keeps_only_its_defined_bits()
    {
        var (bus, _, function, at) = Build();
        bus.WriteConfig16(at, (int)PciConfigRegister.Command, 0xFFFF);
        Assert.Equal((ushort)0x0547, bus.ReadConfig16(at, (int)PciConfigRegister.Command));
        Assert.True(function.BusMaster);
    }

    [Fact]
    public void Status_error_bits_are_write_one_to_clear()
    {
        var (bus, _, function, at) = Build();
        function.RecordMasterAbort();
        Assert.Equal((ushort)PciStatus.ReceivedMasterAbort, bus.ReadConfig16(at, (int)PciConfigRegister.Status));
        bus.WriteConfig16(at, (int)PciConfigRegister.Status, 0); // writing zero changes nothing
        Assert.Equal((ushort)PciStatus.ReceivedMasterAbort, bus.ReadConfig16(at, (int)PciConfigRegister.Status));
        bus.WriteConfig16(at, (int)PciConfigRegister.Status, (ushort)PciStatus.ReceivedMasterAbort);
        Assert.Equal((ushort)0, bus.ReadConfig16(at, (int)PciConfigRegister.Status));
    }

    [Fact]
    public void Capabilities_form_a_linked_list_announced_in_status()
    {
        var (bus, _, function, at) = Build();
        function.AddTestCapability(PciCapabilityId.PowerManagement, 0x50, 8);
        function.AddMsi(0x60);
        Assert.Equal((ushort)PciStatus.CapabilitiesList, bus.ReadConfig16(at, (int)PciConfigRegister.Status));
        Assert.Equal((byte)0x50, bus.ReadConfig8(at, (int)PciConfigRegister.CapabilitiesPointer));
        Assert.Equal((ushort)0x6001, bus.ReadConfig16(at, 0x50));
        Assert.Equal((ushort)0x0005, bus.ReadConfig16(at, 0x60));
    }

    [Fact]
    public void The_msi_capability_holds_a_dword_aligned_address_and_16_bit_data()
    {
        var (bus, _, function, at) = Build();
        function.AddMsi(0x60);
        bus.WriteConfig32(at, 0x64, 0xFEE0_1003);
        bus.WriteConfig32(at, 0x68, 0x1);
        bus.WriteConfig32(at, 0x6C, 0xFFFF_0045);
        bus.WriteConfig16(at, 0x62, 0xFFFF);
        Assert.Equal(0xFEE0_1000u, bus.ReadConfig32(at, 0x64));
        Assert.Equal(0x1_FEE0_1000ul, function.MessageAddress);
        Assert.Equal(0x45u, function.MessageData);
        Assert.Equal((ushort)(0x80 | 0x70 | 0x01), bus.ReadConfig16(at, 0x62));
        Assert.True(function.Msi);
    }

    [Theory]
    [InlineData(0x02, 4)]
    [InlineData(0x01, 2)]
    [InlineData(0x1000, 4)]
    public void A_misaligned_or_out_of_range_access_is_logged_and_reads_all_ones(int offset, int width)
    {
        var (bus, log, _, at) = Build();
        uint value = width == 4 ? bus.ReadConfig32(at, offset) : bus.ReadConfig16(at, offset);
        Assert.Equal(width == 4 ? 0xFFFF_FFFFu : 0xFFFFu, value);
        Assert.Contains(log.Entries, e => e.Level == DeviceLogLevel.Warning && e.Source == "pci");
    }

    [Fact]
    public void Extended_space_of_a_conventional_function_reads_zero()
    {
        var (bus, _, _, at) = Build();
        Assert.Equal(0u, bus.ReadConfig32(at, 0x100));
    }

    [Fact]
    public void A_slot_takes_one_function_and_a_function_one_slot()
    {
        var (bus, _, function, _) = Build();
        Assert.Throws<InvalidOperationException>(() => bus.Attach(new TestPciFunction(), 3, 1));
        Assert.Throws<InvalidOperationException>(() => bus.Attach(function, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.Attach(new TestPciFunction(), 32, 0));
    }
}
