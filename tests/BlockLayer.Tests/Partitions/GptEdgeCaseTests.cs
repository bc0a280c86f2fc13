using System.Buffers.Binary;
using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;
using static Hardware.BlockLayer.Tests.Partitions.TestKit.MbrImageBuilder;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>Hand-made GPT disks with valid CRCs but unusual or hostile contents.</summary>
public class GptEdgeCaseTests
{
    private const long Sectors = 4096;

    [Fact]
    public void Partitions_are_the_used_entries_numbered_by_entry_index_plus_one()
    {
        var disk = new GptImageBuilder(Sectors).Partition(0, 100, 199, "a").Partition(9, 200, 299, "j");

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Empty(result.Warnings);
        Assert.Equal([(1, 100L, 100L, "a"), (10, 200L, 100L, "j")],
            result.Partitions.Select(p => (p.Number, p.StartSector, p.SectorCount, p.Name)));
    }

    [Fact]
    public void Entries_outside_the_usable_range_or_ending_before_they_start_are_rejected_with_warnings()
    {
        var builder = new GptImageBuilder(Sectors);
        builder.Partition(0, builder.FirstUsable - 1, 100)
            .Partition(1, 200, builder.LastUsable + 1)
            .Partition(2, 300, 299)
            .Partition(3, builder.FirstUsable, builder.LastUsable);

        PartitionScanResult result = Scan.Run(builder.Reader());

        Assert.Equal([4], result.Partitions.Select(p => p.Number));
        Assert.Equal(3, result.Warnings.Count);
        Assert.Contains($"GPT entry 1 spans LBA 33..100, outside the usable range 34..{builder.LastUsable}: rejected", result.Warnings[0]);
        Assert.Contains("GPT entry 2 spans", result.Warnings[1]);
        Assert.Contains("GPT entry 3 ends at LBA 299 before it starts at LBA 300: rejected", result.Warnings[2]);
    }

    [Fact]
    public void A_256_byte_entry_stride_reads_the_defined_first_128_bytes_of_each_entry()
    {
        var disk = new GptImageBuilder(Sectors) { EntrySize = 256 }.Partition(0, 100, 199, "wide").Partition(3, 300, 399);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Empty(result.Warnings);
        Assert.Equal([(1, 100L, "wide"), (4, 300L, "")], result.Partitions.Select(p => (p.Number, p.StartSector, p.Name)));
    }

    [Theory]
    [InlineData(200u, "SizeOfPartitionEntry is 200, not 128 x 2^n")]
    [InlineData(384u, "SizeOfPartitionEntry is 384, not 128 x 2^n")]
    public void An_entry_size_that_is_not_128_times_a_power_of_two_makes_both_headers_invalid(uint entrySize, string problem)
    {
        var disk = new GptImageBuilder(Sectors)
        {
            PrimaryHeader = h => h with { SizeOfPartitionEntry = entrySize },
            BackupHeader = h => h with { SizeOfPartitionEntry = entrySize },
        };

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Equal(2, result.Error!.Message.Split(problem).Length - 1);
    }

    [Fact]
    public void A_header_claiming_an_entry_array_over_4_MiB_is_invalid_without_reading_it()
    {
        var disk = new GptImageBuilder(Sectors)
        {
            PrimaryHeader = h => h with { NumberOfPartitionEntries = uint.MaxValue },
            BackupHeader = h => h with { NumberOfPartitionEntries = 40000 },
        };
        MemorySectorReader reader = disk.Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Contains("partition entry array of 4294967295 x 128 bytes exceeds 4 MiB", result.Error!.Message);
        Assert.Contains("partition entry array of 40000 x 128 bytes exceeds 4 MiB", result.Error.Message);
        Assert.Equal(3, reader.ReadCount);
    }

    [Fact]
    public void An_entry_array_running_past_the_disk_end_is_named_with_its_lba()
    {
        var disk = new GptImageBuilder(Sectors)
        {
            PrimaryHeader = h => h with { PartitionEntriesLba = Sectors - 8 },
        }.Partition(0, 100, 199);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([1], result.Partitions.Select(p => p.Number));
        Assert.Contains($"partition entry array at LBA {Sectors - 8} (32 sectors) runs past the last LBA {Sectors - 1}", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_header_size_below_92_or_above_the_sector_is_named_with_its_value()
    {
        byte[] image = new GptImageBuilder(Sectors).Partition(0, 100, 199).Build();
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(512 + GptHeader.HeaderSizeOffset), 600);

        PartitionScanResult result = Scan.Run(new MemorySectorReader(image, 512));

        Assert.Equal([1], result.Partitions.Select(p => p.Number));
        Assert.Contains("primary GPT header at LBA 1: HeaderSize is 600, outside 92..512", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_header_whose_MyLBA_is_not_where_it_was_read_is_invalid()
    {
        var disk = new GptImageBuilder(Sectors) { PrimaryHeader = h => h with { MyLba = 7 } }.Partition(0, 100, 199);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([1], result.Partitions.Select(p => p.Number));
        Assert.Contains("MyLBA is 7 but the header was read from LBA 1", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_primary_whose_AlternateLBA_points_outside_the_disk_keeps_the_primary_and_warns()
    {
        var disk = new GptImageBuilder(Sectors) { PrimaryHeader = h => h with { AlternateLba = ulong.MaxValue } }.Partition(0, 100, 199);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([1], result.Partitions.Select(p => p.Number));
        Assert.Contains($"the primary's AlternateLBA {ulong.MaxValue} is not an LBA in 2..{Sectors - 1}; using the primary GPT", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Valid_headers_that_disagree_are_reported_field_by_field_and_the_primary_wins()
    {
        var builder = new GptImageBuilder(Sectors);
        var disk = new GptImageBuilder(Sectors)
        {
            BackupHeader = h => h with { LastUsableLba = builder.LastUsable - 1, DiskGuid = Guid.Empty },
        }.Partition(0, 100, 199);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([1], result.Partitions.Select(p => p.Number));
        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains($"disagree on LastUsableLBA: {builder.LastUsable} vs {builder.LastUsable - 1}", result.Warnings[0]);
        Assert.Contains("disagree on DiskGUID", result.Warnings[1]);
    }

    [Fact]
    public void Used_entries_past_number_255_are_ignored_with_a_warning()
    {
        var disk = new GptImageBuilder(Sectors) { EntryCount = 256 }.Partition(254, 100, 199).Partition(255, 200, 299);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([255], result.Partitions.Select(p => p.Number));
        Assert.Contains("GPT entry 256 is used but a disk has at most 255 partitions", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_hybrid_mbr_is_read_through_its_gpt()
    {
        var disk = new GptImageBuilder(Sectors)
        {
            MbrEntries = [Entry(MbrPartitionType.GptProtective, 1, 99), Entry(0x83, 100, 100)],
        }.Partition(0, 100, 199, "shared").Partition(1, 300, 399);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.All(result.Partitions, p => Assert.Equal(PartitionInfo.GptScheme, p.Scheme));
        Assert.Equal([1, 2], result.Partitions.Select(p => p.Number));
    }

    [Fact]
    public void Legacy_bios_bootable_attribute_makes_a_gpt_partition_bootable()
    {
        var disk = new GptImageBuilder(Sectors).Partition(0, 100, 199, attributes: GptPartitionAttributes.LegacyBiosBootable | (1UL << 63));

        PartitionInfo partition = Assert.Single(Scan.Run(disk.Reader()).Partitions);

        Assert.True(partition.Bootable);
        Assert.Equal(GptPartitionAttributes.LegacyBiosBootable | (1UL << 63), partition.Attributes);
    }

    [Fact]
    public void A_gpt_on_4096_byte_sectors_has_its_header_in_the_second_4_KiB()
    {
        var disk = new GptImageBuilder(1024, sectorSize: 4096).Partition(0, 10, 19);
        MemorySectorReader reader = disk.Reader();
        Assert.Equal((byte)'E', reader.Image[4096]);

        PartitionInfo partition = Assert.Single(Scan.Run(reader).Partitions);

        Assert.Equal((10L, 10L), (partition.StartSector, partition.SectorCount));
        Assert.Equal(6UL, disk.FirstUsable);
    }
}
