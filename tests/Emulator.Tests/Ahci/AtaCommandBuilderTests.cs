using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>The test driver's CFIS builders encode commands as ACS-3 and SATA lay them out.</summary>
public class AtaCommandBuilderTests
{
    [Fact]
    public void An_lba28_command_puts_lba_27_24_in_the_device_register_and_256_sectors_as_count_0()
    {
        RegisterH2DFis fis = AtaCommands.ReadDma28(0x0ABC_DEF1, 256);
        Assert.True(fis.IsCommand);
        Assert.Equal(AtaCommands.ReadDma, fis.Command);
        Assert.Equal(0xBC_DEF1ul, fis.Lba);
        Assert.Equal(0x4A, fis.Device);
        Assert.Equal(0, fis.Count);
    }

    [Fact]
    public void An_lba48_command_carries_all_48_bits_and_65536_sectors_as_count_0()
    {
        RegisterH2DFis fis = AtaCommands.WriteDma48(0xFFFF_FFFF_FFFF, 65536);
        Assert.Equal(AtaCommands.WriteDmaExt, fis.Command);
        Assert.Equal(0xFFFF_FFFF_FFFFul, fis.Lba);
        Assert.Equal(AtaCommands.DeviceLba, fis.Device);
        Assert.Equal(0, fis.Count);
        var bytes = new byte[RegisterH2DFis.Size];
        fis.Write(bytes);
        Assert.Equal(fis, RegisterH2DFis.Read(bytes));
    }

    [Fact]
    public void An_fpdma_command_puts_the_count_in_features_the_tag_in_count_and_fua_in_device()
    {
        RegisterH2DFis fis = AtaCommands.WriteFpdma(31, 1234, 8, fua: true);
        Assert.Equal(31, fis.NcqTag);
        Assert.Equal(8, fis.NcqSectorCount);
        Assert.True(fis.NcqForceUnitAccess);
        Assert.True(AtaCommands.IsQueued(fis));
        Assert.False(AtaCommands.IsQueued(AtaCommands.ReadDma48(0, 1)));
    }

    [Fact]
    public void A_write_dma_fua_ext_command_is_an_lba48_command_with_its_own_opcode()
    {
        RegisterH2DFis fis = AtaCommands.WriteDmaFua48(0x1234_5678_9ABC, 16);
        Assert.Equal(0x3D, fis.Command);
        Assert.Equal(0x1234_5678_9ABCul, fis.Lba);
        Assert.Equal(16, fis.Count);
        Assert.Equal(AtaCommands.DeviceLba, fis.Device);
        Assert.False(AtaCommands.IsQueued(fis));
    }

    [Theory]
    [InlineData(-1L, 1)]
    [InlineData(1L << 28, 1)]
    [InlineData(0L, 0)]
    [InlineData(0L, 257)]
    public void An_lba28_command_refuses_what_it_cannot_encode(long lba, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AtaCommands.ReadDma28(lba, count));
    }
}
