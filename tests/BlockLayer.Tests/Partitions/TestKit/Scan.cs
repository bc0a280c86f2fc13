using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>Scans image files and byte arrays, and compares the result with util-linux's view of the same table.</summary>
public static class Scan
{
    public const long ImageBytes = 64L << 20;

    public static PartitionScanResult File(string image, int sectorSize = 512)
    {
        using var reader = new FileSectorReader(image, sectorSize);
        return Run(reader);
    }

    /// <summary>Runs the scan to completion; every test reader completes synchronously, so no scheduler is involved.</summary>
    public static PartitionScanResult Run(ISectorReader reader)
    {
        ValueTask<PartitionScanResult> scan = PartitionTableReader.ScanAsync(reader, "sdz");
        Assert.True(scan.IsCompleted, "a scan over synchronous reads completes synchronously");
        return scan.Result;
    }

    /// <summary>Asserts the scan found exactly util-linux's partitions with the same geometry and identity.</summary>
    public static void AssertMatches(OracleTable oracle, PartitionScanResult result, int sectorSize)
    {
        Assert.Null(result.Error);
        Assert.Equal(oracle.Partitions.Select(p => p.Number), result.Partitions.Select(p => p.Number));
        foreach (OraclePartition expected in oracle.Partitions)
        {
            PartitionInfo actual = result.Partitions.Single(p => p.Number == expected.Number);
            Assert.Equal(expected.Start, actual.StartSector);
            if (oracle.Label == "dos")
                AssertMatchesDos(expected, actual, sectorSize);
            else
                AssertMatchesGpt(expected, actual);
        }
    }

    private static void AssertMatchesDos(OraclePartition expected, PartitionInfo actual, int sectorSize)
    {
        Assert.Equal(PartitionInfo.MbrScheme, actual.Scheme);
        Assert.Equal(Convert.ToByte(expected.Type, 16), actual.MbrType);
        Assert.Equal(expected.Bootable, actual.Bootable);
        // util-linux shows an extended partition's full extent; Linux (and so we) expose only 1 KiB of it.
        long expectedSize = MbrPartitionType.IsExtended(actual.MbrType)
            ? Math.Min(expected.Size, sectorSize == 512 ? 2 : 1)
            : expected.Size;
        Assert.Equal(expectedSize, actual.SectorCount);
        Assert.Equal(Guid.Empty, actual.TypeGuid);
        Assert.Equal("", actual.Name);
    }

    private static void AssertMatchesGpt(OraclePartition expected, PartitionInfo actual)
    {
        Assert.Equal(PartitionInfo.GptScheme, actual.Scheme);
        Assert.Equal(expected.Size, actual.SectorCount);
        Assert.Equal(Guid.Parse(expected.Type), actual.TypeGuid);
        Assert.Equal(expected.Uuid, actual.UniqueGuid);
        Assert.Equal(expected.Name ?? "", actual.Name);
        Assert.Equal(expected.Attributes, actual.Attributes);
        Assert.Equal((expected.Attributes & GptPartitionAttributes.LegacyBiosBootable) != 0, actual.Bootable);
        Assert.Equal(0, actual.MbrType);
    }
}
