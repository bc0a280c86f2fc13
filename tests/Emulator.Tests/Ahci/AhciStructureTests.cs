using System.Buffers.Binary;
using Hardware.Emulator.Ahci.Spec;

namespace Hardware.Emulator.Tests.Ahci;

public class AhciStructureTests
{
    [Fact]
    public void A_command_header_is_32_bytes_with_its_fields_at_the_spec_offsets()
    {
        var header = new CommandHeader
        {
            CommandFisLength = 5,
            Atapi = true,
            IsWrite = true,
            Prefetchable = true,
            Reset = true,
            Bist = true,
            ClearBusyUponOk = true,
            PortMultiplierPort = 0xA,
            PrdTableLength = 0x1234,
            PrdByteCount = 0xDEAD_BEEF,
            CommandTableBase = 0x0000_0012_3456_7880,
        };
        var bytes = new byte[CommandHeader.Size + 4];
        bytes.AsSpan().Fill(0xEE);
        header.Write(bytes);

        Assert.Equal(32, CommandHeader.Size);
        Assert.Equal(0x1234_A7E5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0xDEAD_BEEFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x3456_7880u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0x12u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.All(bytes[16..32], b => Assert.Equal(0, b));
        Assert.Equal(0xEE, bytes[32]);
        Assert.Equal(header, CommandHeader.Read(bytes));
    }

    [Fact]
    public void A_prd_entry_is_16_bytes_with_count_minus_one_and_the_interrupt_bit()
    {
        var entry = new PrdEntry { DataBase = 0x1_0000_2000, ByteCount = PrdEntry.MaxByteCount, InterruptOnCompletion = true };
        var bytes = new byte[PrdEntry.Size];
        entry.Write(bytes);

        Assert.Equal(16, PrdEntry.Size);
        Assert.Equal(0x2000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0x803F_FFFFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(entry, PrdEntry.Read(bytes));

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 0x7FC0_001F); // reserved bits 30:22 set
        Assert.Equal(32, PrdEntry.Read(bytes).ByteCount);
        Assert.False(PrdEntry.Read(bytes).InterruptOnCompletion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PrdEntry.MaxByteCount + 1)]
    public void A_prd_entry_refuses_a_byte_count_it_cannot_encode(int count)
    {
        var entry = new PrdEntry { DataBase = 0x1000, ByteCount = count };
        Assert.Throws<InvalidOperationException>(() => entry.Write(new byte[PrdEntry.Size]));
    }

    [Fact]
    public void Command_table_and_received_fis_layouts_match_the_spec()
    {
        Assert.Equal(0x00, CommandTableLayout.CommandFisOffset);
        Assert.Equal(0x40, CommandTableLayout.AtapiCommandOffset);
        Assert.Equal(0x80, CommandTableLayout.PrdTableOffset);
        Assert.Equal(0x80 + 3 * 16, CommandTableLayout.Size(3));
        Assert.Equal(0x00, ReceivedFisLayout.DmaSetupOffset);
        Assert.Equal(0x20, ReceivedFisLayout.PioSetupOffset);
        Assert.Equal(0x40, ReceivedFisLayout.RegisterD2HOffset);
        Assert.Equal(0x58, ReceivedFisLayout.SetDeviceBitsOffset);
        Assert.Equal(0x60, ReceivedFisLayout.UnknownFisOffset);
        Assert.Equal(256, ReceivedFisLayout.Size);
        Assert.Equal(1024, AhciLayout.CommandListSize);
    }

    [Theory]
    [InlineData(0, 0x100)]
    [InlineData(1, 0x180)]
    [InlineData(5, 0x380)]
    [InlineData(31, 0x1080)]
    public void Port_banks_start_at_100h_and_are_80h_apart(int port, int expected)
    {
        Assert.Equal(expected, AhciLayout.PortBase(port));
        Assert.Equal(expected + 0x38, AhciLayout.PortRegisterOffset(port, PortRegister.Ci));
    }

    [Theory]
    [InlineData(1, 0x800u)]
    [InlineData(6, 0x800u)]
    [InlineData(14, 0x800u)]
    [InlineData(15, 0x1000u)]
    [InlineData(32, 0x2000u)]
    public void The_abar_covers_every_port_bank_and_is_at_least_2_KiB(int ports, uint size)
    {
        Assert.Equal(size, AhciLayout.AbarSize(ports));
    }

    [Fact]
    public void Register_offsets_are_those_of_the_spec()
    {
        Assert.Equal(
            [0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x28],
            Enum.GetValues<HbaRegister>().Select(r => (int)r));
        Assert.Equal(
            [0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x20, 0x24, 0x28, 0x2C, 0x30, 0x34, 0x38, 0x3C, 0x40, 0x44],
            Enum.GetValues<PortRegister>().Select(r => (int)r));
    }

    [Fact]
    public void Status_field_helpers_compose_and_split_det_spd_ipm()
    {
        uint ssts = SStatus.Compose(SStatus.DetPresentPhy, 3, SStatus.IpmActive);
        Assert.Equal(0x133u, ssts);
        Assert.Equal((SStatus.DetPresentPhy, 3u, SStatus.IpmActive), (SStatus.Det(ssts), SStatus.Spd(ssts), SStatus.Ipm(ssts)));
        Assert.Equal(0x21u, SControl.Compose(SControl.DetComReset, 2));
        Assert.Equal(0x1F00u, PortCommandFields.WithCurrentCommandSlot(0, 31));
        Assert.Equal(0x150u, TaskFileData.Compose(Sata.AtaStatus.Drdy | (Sata.AtaStatus)0x10, (Sata.AtaError)1));
    }
}
