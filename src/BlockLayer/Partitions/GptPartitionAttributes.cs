namespace Hardware.BlockLayer.Partitions;

/// <summary>The attribute bits UEFI defines for every GPT partition; bits 48-63 belong to the partition type.</summary>
public static class GptPartitionAttributes
{
    /// <summary>Bit 0: the platform needs this partition to function.</summary>
    public const ulong RequiredPartition = 1UL << 0;
    /// <summary>Bit 1: firmware must not expose a block I/O protocol for it.</summary>
    public const ulong NoBlockIoProtocol = 1UL << 1;
    /// <summary>Bit 2: legacy BIOS may boot it; the GPT counterpart of the MBR active flag.</summary>
    public const ulong LegacyBiosBootable = 1UL << 2;
}
