using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.Ata;

public class SpecStructureTests
{
    [Fact]
    public void Ata_strings_swap_each_pair_of_characters_and_pad_with_spaces()
    {
        var field = new byte[8];
        AtaString.Write(field, "ABC");
        Assert.Equal("BA C    "u8.ToArray(), field);
        Assert.Equal("ABC", AtaString.Read(field));
        Assert.Throws<ArgumentException>(() => AtaString.Write(field, "TOO LONG!"));
        Assert.Throws<ArgumentException>(() => AtaString.Write(field, "é"));
    }

    [Fact]
    public void The_ncq_command_error_log_places_its_fields_and_checksum_as_acs_says()
    {
        var page = new byte[NcqCommandErrorLog.Size];
        new NcqCommandErrorLog
        {
            Tag = 13,
            Status = AtaStatus.Drdy | AtaStatus.Err,
            Error = AtaError.Unc,
            Lba = 0x0000_1234_5678_9ABC,
            Device = 0x40,
            Count = 0x0102,
        }.Write(page);

        Assert.Equal(512, NcqCommandErrorLog.Size);
        Assert.Equal(13, page[0]);
        Assert.Equal(0x41, page[2]);
        Assert.Equal(0x40, page[3]);
        Assert.Equal([0xBC, 0x9A, 0x78], page[4..7]);
        Assert.Equal(0x40, page[7]);
        Assert.Equal([0x56, 0x34, 0x12], page[8..11]);
        Assert.Equal([0x02, 0x01], page[12..14]);
        Assert.True(DataStructureChecksum.IsValid(page));

        NcqCommandErrorLog back = NcqCommandErrorLog.Read(page);
        Assert.Equal(13, back.Tag);
        Assert.False(back.NotQueued);
        Assert.Equal(0x1234_5678_9ABCUL, back.Lba);

        new NcqCommandErrorLog { NotQueued = true }.Write(page);
        Assert.Equal(0x80, page[0]);
        Assert.True(NcqCommandErrorLog.Read(page).NotQueued);
    }

    [Fact]
    public void A_dsm_range_entry_is_a_48_bit_lba_then_a_16_bit_length()
    {
        var entry = new byte[DsmRangeEntry.Size];
        new DsmRangeEntry { Lba = 0xAABB_CCDD_EEFF, Length = 0x1122 }.Write(entry);
        Assert.Equal(8, DsmRangeEntry.Size);
        Assert.Equal([0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x22, 0x11], entry);
        DsmRangeEntry back = DsmRangeEntry.Read(entry);
        Assert.Equal(0xAABB_CCDD_EEFFUL, back.Lba);
        Assert.Equal(0x1122, back.Length);
    }

    [Fact]
    public void The_log_directory_has_version_one_and_a_page_count_per_log()
    {
        var page = new byte[LogDirectory.Size];
        LogDirectory.Write(page, [LogAddress.NcqCommandError], [1]);
        Assert.Equal([0x01, 0x00], page[0..2]);
        Assert.Equal(1, LogDirectory.PageCount(page, LogAddress.NcqCommandError));
        Assert.Equal([0x01, 0x00], page[0x20..0x22]);
        Assert.Equal(510, page.Count(b => b == 0));
    }
}
