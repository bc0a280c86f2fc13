using System.Text.Json;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>util-linux sfdisk: partitions an image from a script and dumps its table as JSON.</summary>
public static class Sfdisk
{
    /// <summary>An image file has no kernel partition table to re-read; skipping that saves ~0.3 s per image.</summary>
    public static void Partition(string image, string script) => UtilLinux.Run("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", image], script);

    public static OracleTable Read(string image)
    {
        using JsonDocument json = JsonDocument.Parse(UtilLinux.Run("sfdisk", ["--json", image]));
        JsonElement table = json.RootElement.GetProperty("partitiontable");
        var partitions = new List<OraclePartition>();
        foreach (JsonElement p in table.GetProperty("partitions").EnumerateArray())
        {
            string node = p.GetProperty("node").GetString()!;
            partitions.Add(new OraclePartition(
                PartitionNumber(image, node),
                p.GetProperty("start").GetInt64(),
                p.GetProperty("size").GetInt64(),
                p.GetProperty("type").GetString()!,
                p.TryGetProperty("uuid", out JsonElement uuid) ? Guid.Parse(uuid.GetString()!) : null,
                p.TryGetProperty("name", out JsonElement name) ? name.GetString() : null,
                p.TryGetProperty("attrs", out JsonElement attrs) ? GptAttributeText.Parse(attrs.GetString()!) : 0,
                p.TryGetProperty("bootable", out JsonElement bootable) && bootable.GetBoolean()));
        }
        return new OracleTable(table.GetProperty("label").GetString()!, table.GetProperty("sectorsize").GetInt32(), partitions);
    }

    /// <summary>util-linux names partition N of image "x.img" "x.img" + N (a "p" comes between only after a digit).</summary>
    public static int PartitionNumber(string image, string node)
    {
        if (!node.StartsWith(image, StringComparison.Ordinal) || !int.TryParse(node.AsSpan(image.Length), out int number))
            throw new FormatException($"partition node {node} is not {image} followed by a number");
        return number;
    }
}
