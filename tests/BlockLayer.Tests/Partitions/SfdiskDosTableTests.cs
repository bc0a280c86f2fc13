using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Tests.Partitions.TestKit;

namespace Hardware.BlockLayer.Tests.Partitions;

/// <summary>DOS tables written by util-linux sfdisk: three primaries and an extended partition holding three logicals.</summary>
public sealed class SfdiskDosTableTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>The extended partition (of the given type) in the given slot; primaries fill the other slots.</summary>
    private static string Script(string extendedType, int extendedSlot)
    {
        string[] primaries = ["type=83, bootable", "type=82", "type=c"];
        var lines = new List<string> { "label: dos", "label-id: 0x1234abcd", "unit: sectors" };
        long start = 2048;
        int primary = 0;
        for (int slot = 1; slot <= 4; slot++)
        {
            if (slot == extendedSlot)
            {
                lines.Add($"start={start}, size=65536, type={extendedType}");
                start += 65536;
            }
            else
            {
                lines.Add($"start={start}, size=16384, {primaries[primary++]}");
                start += 16384;
            }
        }
        lines.Add("size=16384, type=83");
        lines.Add("size=8192, type=8e");
        lines.Add("type=83");
        return string.Join('\n', lines) + "\n";
    }

    [OracleTheory("sfdisk", "fdisk")]
    [InlineData("5", 4)]
    [InlineData("f", 2)]
    [InlineData("85", 3)]
    public void Every_primary_and_logical_partition_matches_sfdisk(string extendedType, int extendedSlot)
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Sfdisk.Partition(image, Script(extendedType, extendedSlot));
        OracleTable oracle = Sfdisk.Read(image);
        Assert.Equal("dos", oracle.Label);
        Assert.Equal(7, oracle.Partitions.Count);

        PartitionScanResult result = Scan.File(image);

        Scan.AssertMatches(oracle, result, 512);
        Assert.Empty(result.Warnings);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], result.Partitions.Select(p => p.Number));
    }

    [OracleFact("sfdisk", "fdisk")]
    public void Logical_partitions_lie_inside_the_extended_partition_after_their_ebr()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Sfdisk.Partition(image, Script("5", 4));
        OracleTable oracle = Sfdisk.Read(image);
        OraclePartition extended = oracle.Partitions.Single(p => p.Number == 4);

        PartitionScanResult result = Scan.File(image);

        PartitionInfo[] logicals = [.. result.Partitions.Where(p => p.Number >= 5)];
        Assert.Equal([0x83, 0x8E, 0x83], logicals.Select(p => (int)p.MbrType));
        Assert.All(logicals, p => Assert.InRange(p.StartSector, extended.Start + 1, extended.Start + extended.Size - 1));
        Assert.All(logicals, p => Assert.InRange(p.EndSector, p.StartSector + 1, extended.Start + extended.Size));
        Assert.Equal(2, result.Partitions.Single(p => p.Number == 4).SectorCount);
    }

    [OracleFact("sfdisk", "fdisk")]
    public void A_dos_table_of_4096_byte_sectors_made_by_fdisk_matches_fdisk()
    {
        string image = _scratch.CreateImage("disk.img", Scan.ImageBytes);
        Fdisk.Partition(image, 4096,
            "o\nn\np\n1\n\n+8M\na\nn\np\n2\n\n+4M\nt\n2\n82\nn\ne\n3\n\n+20M\nn\nl\n\n+4M\nn\nl\n\n+4M\nn\nl\n\n\nw\n");
        OracleTable oracle = Fdisk.ReadDos(image, 4096);
        Assert.Equal([1, 2, 3, 5, 6, 7], oracle.Partitions.Select(p => p.Number));

        PartitionScanResult result = Scan.File(image, sectorSize: 4096);

        Scan.AssertMatches(oracle, result, 4096);
        Assert.Empty(result.Warnings);
        Assert.Equal(1, result.Partitions.Single(p => p.Number == 3).SectorCount);
    }
}
