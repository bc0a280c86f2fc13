using Hardware.BlockLayer.Partitions;

namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>util-linux's text for GPT attribute bits ("RequiredPartition LegacyBIOSBootable GUID:60,63") as a bit mask.</summary>
public static class GptAttributeText
{
    public static ulong Parse(string text)
    {
        ulong bits = 0;
        foreach (string token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            bits |= token switch
            {
                "RequiredPartition" => GptPartitionAttributes.RequiredPartition,
                "NoBlockIOProtocol" => GptPartitionAttributes.NoBlockIoProtocol,
                "LegacyBIOSBootable" => GptPartitionAttributes.LegacyBiosBootable,
                _ when token.StartsWith("GUID:", StringComparison.Ordinal) => TypeSpecificBits(token["GUID:".Length..]),
                _ => throw new FormatException($"unknown GPT attribute {token} in \"{text}\""),
            };
        }
        return bits;
    }

    private static ulong TypeSpecificBits(string list)
    {
        ulong bits = 0;
        foreach (string bit in list.Split(','))
            bits |= 1UL << int.Parse(bit);
        return bits;
    }
}
