namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>
/// util-linux fdisk, for images with 4096-byte logical sectors: sfdisk 2.38 reads an image file's sector size
/// as 512 and cannot be told otherwise, while fdisk takes -b. Commands are its interactive keystrokes.
/// </summary>
public static class Fdisk
{
    public static void Partition(string image, int sectorSize, string commands) =>
        UtilLinux.Run("fdisk", ["-b", sectorSize.ToString(), image], commands);

    /// <summary>Lists a GPT image; Name goes last because only it may be empty or hold spaces.</summary>
    public static OracleTable ReadGpt(string image, int sectorSize)
    {
        var partitions = new List<OraclePartition>();
        foreach (string[] fields in PartitionRows(image, sectorSize, "Device,Start,Sectors,Type-UUID,UUID,Name", fixedColumns: 5))
            partitions.Add(new OraclePartition(Sfdisk.PartitionNumber(image, fields[0]), long.Parse(fields[1]), long.Parse(fields[2]),
                fields[3], Guid.Parse(fields[4]), fields[5], 0, false));
        return new OracleTable("gpt", sectorSize, partitions);
    }

    /// <summary>Lists a DOS image; Boot ("*" or empty) goes last because it may be empty.</summary>
    public static OracleTable ReadDos(string image, int sectorSize)
    {
        var partitions = new List<OraclePartition>();
        foreach (string[] fields in PartitionRows(image, sectorSize, "Device,Start,Sectors,Id,Boot", fixedColumns: 4))
            partitions.Add(new OraclePartition(Sfdisk.PartitionNumber(image, fields[0]), long.Parse(fields[1]), long.Parse(fields[2]),
                fields[3], null, null, 0, fields[4] == "*"));
        return new OracleTable("dos", sectorSize, partitions);
    }

    /// <summary>The rows under the "Device" header: the first columns split on blanks, the rest of the line as the last field.</summary>
    private static IEnumerable<string[]> PartitionRows(string image, int sectorSize, string columns, int fixedColumns)
    {
        string listing = UtilLinux.Run("fdisk", ["-b", sectorSize.ToString(), "-l", "-o", columns, image]);
        bool inTable = false;
        foreach (string line in listing.Split('\n'))
        {
            if (line.StartsWith("Device", StringComparison.Ordinal))
            {
                inTable = true;
                continue;
            }
            if (!inTable || line.Length == 0)
                continue;
            string[] parts = line.Split(' ', fixedColumns + 1, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            yield return parts.Length == fixedColumns ? [.. parts, ""] : parts;
        }
    }
}
