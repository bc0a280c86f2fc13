using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>GPT tables written by util-linux (sfdisk for 512-byte sectors, fdisk -b 4096 for 4 KiB sectors).</summary>
public sealed class SfdiskGptTableTests : IDisposable
{
    /// <summary>Entries 1, 2, 5 and 7 (3, 4 and 6 stay empty), names with spaces, accents and all 36 units, attribute bits.</summary>
    public const string Script = """
        label: gpt
        label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
        unit: sectors
        first-lba: 2048
        disk.img1 : start=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=11111111-2222-3333-4444-555555555555, name="EFI System", attrs="RequiredPartition"
        disk.img2 : size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root fs", attrs="LegacyBIOSBootable GUID:60,63"
        disk.img5 : size=8192, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name="données swap"
        disk.img7 : size=2048, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, name="123456789012345678901234567890123456", attrs="NoBlockIOProtocol"

        """;

    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [OracleFact("sfdisk", "fdisk")]
    public void Every_partition_matches_sfdisk_in_geometry_guids_name_and_attributes()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Sfdisk.Partition(image, Script);
        OracleTable oracle = Sfdisk.Read(image);
        Assert.Equal("gpt", oracle.Label);

        PartitionScanResult result = Scan.File(image);

        Scan.AssertMatches(oracle, result, 512);
        Assert.Empty(result.Warnings);
        Assert.Equal([1, 2, 5, 7], result.Partitions.Select(p => p.Number));
        Assert.Equal([false, true, false, false], result.Partitions.Select(p => p.Bootable));
    }

    [OracleFact("sfdisk", "fdisk")]
    public void A_gpt_of_4096_byte_sectors_made_by_fdisk_matches_fdisk()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Fdisk.Partition(image, 4096,
            "g\nn\n1\n\n+8M\nn\n2\n\n+4M\nt\n2\nswap\nn\n4\n\n+2M\nx\nn\n1\nboot part\nn\n4\nlast one\nr\nw\n");
        OracleTable oracle = Fdisk.ReadGpt(image, 4096);
        Assert.Equal([1, 2, 4], oracle.Partitions.Select(p => p.Number));

        PartitionScanResult result = Scan.File(image, sectorSize: 4096);

        Scan.AssertMatches(oracle, result, 4096);
        Assert.Empty(result.Warnings);
        Assert.Equal(256, result.Partitions[0].StartSector);
    }

    [OracleFact("sfdisk", "fdisk")]
    public void A_4096_byte_sector_gpt_read_as_512_byte_sectors_is_reported_damaged_not_misread()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Fdisk.Partition(image, 4096, "g\nn\n1\n\n+8M\nw\n");

        PartitionScanResult result = Scan.File(image, sectorSize: 512);

        Assert.Empty(result.Partitions);
        Assert.Equal(Errno.EUCLEAN, result.Error?.Errno);
        Assert.Contains("primary GPT header at LBA 1: signature is 0x0000000000000000", result.Error!.Message);
    }
}
