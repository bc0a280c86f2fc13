using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>sfdisk-made GPT images with one structure damaged: the scan falls back, warns, or fails naming what and where.</summary>
public sealed class GptDamageTests : IDisposable
{
    private const int SectorSize = 512;
    private const long LastLba = Scan.ImageBytes / SectorSize - 1;

    private readonly ScratchDirectory _scratch = new();
    private readonly string _image;
    private readonly OracleTable _intact;

    public GptDamageTests()
    {
        _image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Sfdisk.Partition(_image, SfdiskGptTableTests.Script);
        _intact = Sfdisk.Read(_image);
    }

    public void Dispose() => _scratch.Dispose();

    private GptHeader HeaderAt(long lba)
    {
        using var reader = new FileSectorReader(_image, SectorSize);
        var sector = new byte[SectorSize];
        Assert.Equal(Errno.None, reader.ReadAsync(lba, sector).Result);
        return GptHeader.Read(sector);
    }

    private long EntriesOffset(long headerLba) => (long)HeaderAt(headerLba).PartitionEntriesLba * SectorSize;

    [OracleFact("sfdisk")]
    public void One_flipped_byte_in_the_primary_header_makes_the_scan_use_the_backup_with_a_warning()
    {
        ImageBytes.FlipByte(_image, SectorSize + GptHeader.DiskGuidOffset + 4);

        PartitionScanResult result = Scan.File(_image);

        Scan.AssertMatches(_intact, result, SectorSize);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("primary GPT header at LBA 1: HeaderCRC32 is 0x", warning);
        Assert.Contains($"using the backup GPT header at LBA {LastLba}", warning);
        // sfdisk, too, falls back to the backup and sees the same partitions.
        Scan.AssertMatches(Sfdisk.Read(_image), result, SectorSize);
    }

    [OracleFact("sfdisk")]
    public void A_wrong_primary_signature_is_named_in_the_warning()
    {
        ImageBytes.WriteByte(_image, SectorSize + GptHeader.SignatureOffset, (byte)'X');

        PartitionScanResult result = Scan.File(_image);

        Scan.AssertMatches(_intact, result, SectorSize);
        Assert.Contains("signature is 0x5452415020494658, not \"EFI PART\"", Assert.Single(result.Warnings));
    }

    [OracleFact("sfdisk")]
    public void A_damaged_backup_header_leaves_the_primary_in_use_with_a_warning()
    {
        ImageBytes.FlipByte(_image, LastLba * SectorSize + GptHeader.FirstUsableLbaOffset);

        PartitionScanResult result = Scan.File(_image);

        Scan.AssertMatches(_intact, result, SectorSize);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains($"backup GPT header at LBA {LastLba}: HeaderCRC32", warning);
        Assert.Contains("using the primary GPT", warning);
    }

    [OracleFact("sfdisk")]
    public void Both_headers_damaged_is_an_EUCLEAN_error_naming_each_header_and_no_partitions()
    {
        ImageBytes.FlipByte(_image, SectorSize + GptHeader.DiskGuidOffset);
        ImageBytes.FlipByte(_image, LastLba * SectorSize + GptHeader.DiskGuidOffset);

        PartitionScanResult result = Scan.File(_image);

        Assert.Empty(result.Partitions);
        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.StartsWith("sdz: primary GPT header at LBA 1: HeaderCRC32 is 0x", result.Error!.Message);
        Assert.Contains($"; backup GPT header at LBA {LastLba}: HeaderCRC32 is 0x", result.Error.Message);
        // sfdisk finds no GPT either: it shows the protective MBR as a DOS table.
        Assert.Equal("dos", Sfdisk.Read(_image).Label);
    }

    [OracleFact("sfdisk")]
    public void A_damaged_primary_entry_array_is_reported_as_a_crc_mismatch_and_the_backup_used()
    {
        ImageBytes.FlipByte(_image, EntriesOffset(1) + GptPartitionEntry.NameOffset);

        PartitionScanResult result = Scan.File(_image);

        Scan.AssertMatches(_intact, result, SectorSize);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("primary GPT header at LBA 1: PartitionEntryArrayCRC32 is 0x", warning);
        Assert.Contains("but the 128 entries at LBA 2 sum to 0x", warning);
    }

    [OracleFact("sfdisk")]
    public void Both_entry_arrays_damaged_is_an_EUCLEAN_error_naming_the_entry_array_crc()
    {
        ImageBytes.FlipByte(_image, EntriesOffset(1) + GptPartitionEntry.NameOffset);
        ImageBytes.FlipByte(_image, EntriesOffset(LastLba) + GptPartitionEntry.NameOffset);

        PartitionScanResult result = Scan.File(_image);

        Assert.Empty(result.Partitions);
        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Equal(2, result.Error!.Message.Split("PartitionEntryArrayCRC32 is 0x").Length - 1);
    }

    [OracleFact("sfdisk")]
    public void An_unreadable_primary_header_falls_back_to_the_backup_naming_EIO()
    {
        var reader = new MemorySectorReader(File.ReadAllBytes(_image), SectorSize);
        reader.MakeUnreadable(1);

        PartitionScanResult result = Scan.Run(reader);

        Scan.AssertMatches(_intact, result, SectorSize);
        Assert.Contains("primary GPT header at LBA 1: reading sectors 1..1 failed with EIO", Assert.Single(result.Warnings));
    }

    [OracleFact("sfdisk")]
    public void Unreadable_primary_and_backup_headers_are_an_EIO_error()
    {
        var reader = new MemorySectorReader(File.ReadAllBytes(_image), SectorSize);
        reader.MakeUnreadable(1);
        reader.MakeUnreadable(LastLba);

        PartitionScanResult result = Scan.Run(reader);

        Assert.Empty(result.Partitions);
        Assert.Equal(Errno.EIO, result.Error?.Errno);
    }

    [OracleFact("sfdisk")]
    public void A_truncated_image_is_an_error_naming_the_usable_range_past_the_disk_end_as_sfdisk_also_refuses_it()
    {
        using (var stream = new FileStream(_image, FileMode.Open, FileAccess.Write))
            stream.SetLength(Scan.ImageBytes / 2);

        PartitionScanResult result = Scan.File(_image);

        Assert.Empty(result.Partitions);
        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Contains($"usable range 2048..{LastLba - 33} runs past the last LBA {Scan.ImageBytes / 2 / SectorSize - 1}", result.Error!.Message);
        Assert.Equal("dos", Sfdisk.Read(_image).Label);
    }

    [OracleFact("sfdisk")]
    public void An_image_grown_after_partitioning_keeps_its_partitions_and_warns_the_backup_is_not_at_the_end()
    {
        using (var stream = new FileStream(_image, FileMode.Open, FileAccess.Write))
            stream.SetLength(Scan.ImageBytes * 2);

        PartitionScanResult result = Scan.File(_image);

        Scan.AssertMatches(_intact, result, SectorSize);
        Assert.Contains($"backup GPT header is at LBA {LastLba}, not at the last LBA {2 * LastLba + 1}", Assert.Single(result.Warnings));
    }
}
