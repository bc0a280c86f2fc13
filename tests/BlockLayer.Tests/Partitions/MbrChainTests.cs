using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;
using static Hardware.BlockLayer.Tests.Partitions.TestKit.MbrImageBuilder;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>Hand-made DOS tables: EBR chains that loop or never end, and partitions past the disk end.</summary>
public class MbrChainTests
{
    private const uint ExtendedStart = 100;

    private static MbrImageBuilder DiskWithExtended(long sectors, uint extendedSize) =>
        new MbrImageBuilder(sectors).Table(0, Entry(0x83, 2, 98), Entry(MbrPartitionType.Extended, ExtendedStart, extendedSize));

    [Fact]
    public void An_ebr_linking_to_itself_stops_with_a_loop_warning_after_its_logical_partition()
    {
        MemorySectorReader reader = DiskWithExtended(2000, 1000).Ebr(ExtendedStart, dataOffset: 10, dataCount: 20, linkOffset: 0).Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Null(result.Error);
        Assert.Equal([1, 2, 5], result.Partitions.Select(p => p.Number));
        Assert.Equal(ExtendedStart + 10, result.Partitions[2].StartSector);
        Assert.Contains("links back to the EBR at sector 100 (a loop): chain stopped after 1 EBRs", Assert.Single(result.Warnings));
        Assert.Equal(2, reader.ReadCount);
    }

    [Fact]
    public void A_two_ebr_cycle_yields_each_logical_partition_once_and_a_loop_warning()
    {
        MemorySectorReader reader = DiskWithExtended(2000, 1000)
            .Ebr(ExtendedStart, 1, 50, linkOffset: 100)
            .Ebr(ExtendedStart + 100, 1, 50, linkOffset: 0)
            .Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal([1, 2, 5, 6], result.Partitions.Select(p => p.Number));
        Assert.Equal([101L, 201L], result.Partitions.Where(p => p.Number >= 5).Select(p => p.StartSector));
        Assert.Contains("(a loop)", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_chain_of_empty_ebrs_is_abandoned_after_100_links_as_linux_does()
    {
        MbrImageBuilder disk = DiskWithExtended(1000, 800);
        for (uint i = 0; i < 150; i++)
            disk.Ebr(ExtendedStart + i, 0, 0, linkOffset: i + 1);
        MemorySectorReader reader = disk.Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal([1, 2], result.Partitions.Select(p => p.Number));
        Assert.Contains("100 links in a row without a logical partition", Assert.Single(result.Warnings));
        Assert.Equal(1 + 100, reader.ReadCount);
    }

    [Fact]
    public void A_chain_longer_than_255_partitions_stops_at_partition_255_with_a_warning()
    {
        MbrImageBuilder disk = DiskWithExtended(1000, 800);
        for (uint i = 0; i < 300; i++)
            disk.Ebr(ExtendedStart + 2 * i, dataOffset: 1, dataCount: 1, linkOffset: 2 * (i + 1));

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal(2 + 251, result.Partitions.Count);
        Assert.Equal(255, result.Partitions[^1].Number);
        Assert.Contains("goes on past partition 255", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_primary_partition_past_the_disk_end_is_dropped_and_one_running_past_it_clipped()
    {
        MemorySectorReader reader = new MbrImageBuilder(1000)
            .Table(0, Entry(0x83, 100, 2000), Entry(0x83, 5000, 10), Entry(0x83, 1000, 1), Entry(0x07, 10, 90, bootable: true))
            .Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Null(result.Error);
        Assert.Equal([(1, 100L, 900L), (4, 10L, 90L)], result.Partitions.Select(p => (p.Number, p.StartSector, p.SectorCount)));
        Assert.True(result.Partitions[1].Bootable);
        Assert.Equal(3, result.Warnings.Count);
        Assert.Contains("partition 1 at sector 100 claims 2000 sectors, past the disk end (1000 sectors): clipped to 900", result.Warnings[0]);
        Assert.Contains("partition 2 starts at sector 5000, past the disk end (1000 sectors): dropped", result.Warnings[1]);
        Assert.Contains("partition 3 starts at sector 1000", result.Warnings[2]);
    }

    [Fact]
    public void A_logical_partition_running_past_the_disk_end_is_clipped()
    {
        MemorySectorReader reader = DiskWithExtended(400, 300).Ebr(ExtendedStart, 1, 1000).Reader();

        PartitionScanResult result = Scan.Run(reader);

        PartitionInfo logical = result.Partitions.Single(p => p.Number == 5);
        Assert.Equal((101L, 299L), (logical.StartSector, logical.SectorCount));
        Assert.Contains("partition 5 at sector 101 claims 1000 sectors", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Ebr_entries_3_and_4_count_only_when_they_fit_the_extended_partition()
    {
        MbrImageBuilder disk = DiskWithExtended(2000, 1000);
        disk.Table(ExtendedStart, Entry(0x83, 1, 10), default, Entry(0x83, 20, 10), Entry(0x83, 5000, 10));

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([(5, 101L), (6, 120L)], result.Partitions.Where(p => p.Number >= 5).Select(p => (p.Number, p.StartSector)));
        Assert.Contains("EBR at sector 100 entry 4 (sectors 5100..5109) lies outside its extended partition: ignored", Assert.Single(result.Warnings));
    }

    [Fact]
    public void An_ebr_without_a_signature_ends_the_chain_with_a_warning_naming_it()
    {
        MbrImageBuilder disk = DiskWithExtended(2000, 1000).Ebr(ExtendedStart, 1, 10, linkOffset: 50);

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Equal([1, 2, 5], result.Partitions.Select(p => p.Number));
        Assert.Contains("EBR at sector 150 has signature 0x0000, not 0xAA55: chain stopped", Assert.Single(result.Warnings));
    }

    [Fact]
    public void An_ebr_link_past_the_disk_end_ends_the_chain_without_reading_there()
    {
        MemorySectorReader reader = DiskWithExtended(300, 200).Ebr(ExtendedStart, 1, 10, linkOffset: 4000).Reader();

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal([1, 2, 5], result.Partitions.Select(p => p.Number));
        Assert.Contains("EBR at sector 4100: sectors 4100..4100 lie outside the disk (sectors 0..299): chain stopped", Assert.Single(result.Warnings));
    }

    [Fact]
    public void An_unreadable_ebr_ends_the_chain_with_a_warning_naming_EIO()
    {
        MemorySectorReader reader = DiskWithExtended(2000, 1000).Ebr(ExtendedStart, 1, 10, linkOffset: 50).Reader();
        reader.MakeUnreadable(150);

        PartitionScanResult result = Scan.Run(reader);

        Assert.Equal([1, 2, 5], result.Partitions.Select(p => p.Number));
        Assert.Contains("EBR at sector 150: reading sectors 150..150 failed with EIO", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_boot_flag_other_than_0_or_80_means_a_boot_sector_not_a_partition_table()
    {
        var disk = new MbrImageBuilder(100).Table(0, Entry(0x83, 1, 10) with { BootIndicator = 0x29 });

        PartitionScanResult result = Scan.Run(disk.Reader());

        Assert.Empty(result.Partitions);
        Assert.Null(result.Error);
        Assert.Contains("MBR entry 1 has boot flag 0x29", Assert.Single(result.Warnings));
    }
}
