using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.Ata;

public class IdentifyDeviceDataTests
{
    private static IdentifyDeviceData Disk(long capacity = 3_907_029_168) => new()
    {
        Serial = "WD-WCC4E1234567",
        Firmware = "82.00A82",
        Model = "HWSTACK HDD 7200",
        CapacitySectors = capacity,
        LogicalSectorSize = 512,
        PhysicalSectorSize = 4096,
        QueueDepth = 32,
        MaxGeneration = SataGeneration.Gen3,
        CurrentGeneration = SataGeneration.Gen2,
        WriteCacheSupported = true,
        WriteCacheEnabled = true,
        ReadLookAheadSupported = true,
        ReadLookAheadEnabled = false,
        TrimSupported = false,
        NominalRotationRate = 7200,
    };

    private static ushort[] Words(IdentifyDeviceData data)
    {
        var bytes = new byte[IdentifyDeviceData.Size];
        data.Write(bytes);
        var words = new ushort[256];
        for (int i = 0; i < 256; i++)
            words[i] = IdentifyDeviceData.Word(bytes, i);
        return words;
    }

    [Fact]
    public void Every_reported_word_of_a_rotating_disk_holds_its_acs3_value()
    {
        ushort[] w = Words(Disk());

        Assert.Equal(0x0040, w[0]);   // fixed ATA device
        Assert.Equal(0xC837, w[2]);
        Assert.Equal(0x5744, w[10]);  // "WD": the first character is the high byte
        Assert.Equal(0x8010, w[47]);
        Assert.Equal(0x4000, w[48]);
        Assert.Equal(0x0F00, w[49]);  // IORDY, IORDY disable, LBA, DMA
        Assert.Equal(0x4000, w[50]);
        Assert.Equal(0x0006, w[53]);  // words 64-70 and 88 valid
        Assert.Equal(0xFFFF, w[60]);  // LBA28 capacity saturates at 0FFFFFFFh
        Assert.Equal(0x0FFF, w[61]);
        Assert.Equal(0x0007, w[63]);
        Assert.Equal(0x0003, w[64]);
        Assert.Equal(120, w[65]);
        Assert.Equal(120, w[66]);
        Assert.Equal(120, w[67]);
        Assert.Equal(120, w[68]);
        Assert.Equal(0x0000, w[69]);  // no TRIM, so no deterministic-read bits
        Assert.Equal(31, w[75]);      // queue depth - 1
        Assert.Equal(0x010E, w[76]);  // Gen1-3, NCQ
        Assert.Equal(2 << 1, w[77]);  // negotiated Gen2
        Assert.Equal(0x0054, w[78]);  // auto-activate, in-order delivery, settings preservation
        Assert.Equal(0x0054, w[79]);
        Assert.Equal(0x07E0, w[80]);  // ATA-5 .. ACS-3
        Assert.Equal(0x010A, w[81]);
        Assert.Equal(0x0060, w[82]);  // look-ahead, write cache
        Assert.Equal(0x7400, w[83]);  // FLUSH EXT, FLUSH, 48-bit
        Assert.Equal(0x4060, w[84]);  // WRITE DMA FUA EXT, GPL
        Assert.Equal(0x0020, w[85]);  // write cache on, look-ahead off
        Assert.Equal(0x3400, w[86]);
        Assert.Equal(0x4060, w[87]);
        Assert.Equal(0x407F, w[88]);  // UDMA 0-6, mode 6 selected
        Assert.Equal(0x0000, w[93]);  // SATA
        Assert.Equal(3_907_029_168L, w[100] | (long)w[101] << 16 | (long)w[102] << 32 | (long)w[103] << 48);
        Assert.Equal(0x0000, w[105]);
        Assert.Equal(0x6003, w[106]); // 8 logical sectors per physical
        Assert.Equal(0x0000, w[117]);
        Assert.Equal(0x0000, w[118]);
        Assert.Equal(0x0000, w[169]);
        Assert.Equal(7200, w[217]);
        Assert.Equal(0xA5, w[255] & 0xFF);
    }

    [Fact]
    public void A_small_flash_drive_reports_its_exact_lba28_size_trim_and_non_rotating_media()
    {
        ushort[] w = Words(Disk(capacity: 1_000_000) with
        {
            LogicalSectorSize = 4096,
            PhysicalSectorSize = 4096,
            QueueDepth = 0,
            MaxGeneration = SataGeneration.Gen2,
            CurrentGeneration = null,
            WriteCacheSupported = false,
            WriteCacheEnabled = false,
            ReadLookAheadSupported = false,
            TrimSupported = true,
            MaxDsmBlocks = 8,
            NominalRotationRate = 1,
        });

        Assert.Equal(1_000_000 & 0xFFFF, w[60]);
        Assert.Equal(1_000_000 >> 16, w[61]);
        Assert.Equal(0x4020, w[69]);
        Assert.Equal(0, w[75]);
        Assert.Equal(0x0006, w[76]);  // Gen1-2, no NCQ
        Assert.Equal(0, w[77]);
        Assert.Equal(0, w[82]);
        Assert.Equal(0, w[85]);
        Assert.Equal(8, w[105]);
        Assert.Equal(0x5000, w[106]); // logical sector longer than 256 words
        Assert.Equal(2048, w[117] | w[118] << 16); // in words
        Assert.Equal(0x0001, w[169]);
        Assert.Equal(1, w[217]);
    }

    [Fact]
    public void The_integrity_word_makes_all_512_bytes_sum_to_zero()
    {
        var bytes = new byte[IdentifyDeviceData.Size];
        Disk().Write(bytes);
        Assert.Equal(0xA5, bytes[510]);
        int sum = 0;
        foreach (byte b in bytes)
            sum += b;
        Assert.Equal(0, sum % 256);
        Assert.True(IdentifyDeviceData.HasValidIntegrityWord(bytes));
        bytes[100] ^= 1;
        Assert.False(IdentifyDeviceData.HasValidIntegrityWord(bytes));
    }

    [Fact]
    public void Parsing_written_data_gives_back_the_same_description()
    {
        IdentifyDeviceData original = Disk();
        var bytes = new byte[IdentifyDeviceData.Size];
        original.Write(bytes);
        Assert.Equal(original with { MaxDsmBlocks = 0 }, IdentifyDeviceData.Read(bytes));
    }
}
