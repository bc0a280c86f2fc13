using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions;

public class MbrStructureTests
{
    private static readonly MbrPartitionEntry Sample = new(
        MbrPartitionEntry.ActiveFlag, new ChsAddress(0x01, 0xC2, 0x03), 0x83, new ChsAddress(0xFE, 0xFF, 0xFF),
        StartLba: 0x11223344, SectorCount: 0x55667788);

    [Fact]
    public void An_entry_is_16_bytes_with_flag_chs_type_chs_lba_and_count_at_their_offsets()
    {
        Assert.Equal(16, MbrPartitionEntry.Size);
        var bytes = new byte[MbrPartitionEntry.Size];
        Sample.Write(bytes);
        Assert.Equal(
            new byte[] { 0x80, 0x01, 0xC2, 0x03, 0x83, 0xFE, 0xFF, 0xFF, 0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55 },
            bytes);
        Assert.Equal(Sample, MbrPartitionEntry.Read(bytes));
    }

    [Fact]
    public void A_chs_address_packs_cylinder_bits_8_and_9_above_the_sector()
    {
        var chs = new ChsAddress(Head: 7, SectorAndCylinderHigh: 0xC2, CylinderLow: 0x03);
        Assert.Equal(2, chs.Sector);
        Assert.Equal(0x303, chs.Cylinder);
    }

    [Theory]
    [InlineData(0x05, true)]
    [InlineData(0x0F, true)]
    [InlineData(0x85, true)]
    [InlineData(0x83, false)]
    [InlineData(0xEE, false)]
    public void Types_05_0F_and_85_are_extended(byte type, bool extended) =>
        Assert.Equal(extended, (Sample with { Type = type }).IsExtended);

    [Fact]
    public void The_mbr_is_512_bytes_with_entries_at_0x1BE_and_the_signature_55_AA_at_0x1FE()
    {
        Assert.Equal(512, MasterBootRecord.Size);
        Assert.Equal(446, MasterBootRecord.BootstrapAreaSize);
        Assert.Equal(MasterBootRecord.BootstrapAreaSize, MasterBootRecord.PartitionTableOffset);
        Assert.Equal(0x1FE, MasterBootRecord.EntryOffset(MasterBootRecord.EntryCount));

        var entries = Enumerable.Range(0, 4).Select(i => Sample with { Type = (byte)(0x10 + i) }).ToArray();
        var mbr = new MasterBootRecord(0xCAFEBABE, entries);
        var bytes = new byte[MasterBootRecord.Size];
        mbr.Write(bytes);

        Assert.Equal(new byte[] { 0xBE, 0xBA, 0xFE, 0xCA }, bytes[0x1B8..0x1BC]);
        for (int i = 0; i < 4; i++)
            Assert.Equal(0x10 + i, bytes[0x1BE + 16 * i + MbrPartitionEntry.TypeOffset]);
        Assert.Equal(0x55, bytes[0x1FE]);
        Assert.Equal(0xAA, bytes[0x1FF]);

        MasterBootRecord read = MasterBootRecord.Read(bytes);
        Assert.True(read.HasBootSignature);
        Assert.Equal(0xCAFEBABEu, read.DiskSignature);
        Assert.Equal(entries, read.Entries);
    }

    [Fact]
    public void Writing_an_mbr_leaves_the_bootstrap_code_alone()
    {
        var bytes = Enumerable.Repeat((byte)0x90, MasterBootRecord.Size).ToArray();
        new MasterBootRecord(0, new MbrPartitionEntry[4]).Write(bytes);
        Assert.All(bytes[..0x1B8], b => Assert.Equal(0x90, b));
    }

    [Fact]
    public void An_mbr_without_55_AA_reports_the_signature_it_has()
    {
        var bytes = new byte[MasterBootRecord.Size];
        bytes[0x1FE] = 0xAA;
        bytes[0x1FF] = 0x55;
        MasterBootRecord read = MasterBootRecord.Read(bytes);
        Assert.False(read.HasBootSignature);
        Assert.Equal(0x55AA, read.StoredBootSignature);
    }

    [Fact]
    public void An_mbr_with_other_than_four_entries_is_a_bug() =>
        Assert.Throws<ArgumentException>(() => new MasterBootRecord(0, new MbrPartitionEntry[3]));
}
