namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// One partition as the kernel would expose it: number (1-4 primary MBR, 5+ logical, GPT entry index + 1),
/// start and length in logical sectors, and the table's own description of it. MBR partitions have empty
/// GUIDs and name; GPT partitions have MbrType 0 and are bootable when attribute bit 2 (legacy BIOS bootable)
/// is set.
/// </summary>
public sealed record PartitionInfo(
    int Number,
    long StartSector,
    long SectorCount,
    string Scheme,
    byte MbrType,
    Guid TypeGuid,
    Guid UniqueGuid,
    string Name,
    bool Bootable,
    ulong Attributes)
{
    public const string MbrScheme = "mbr";
    public const string GptScheme = "gpt";

    public long EndSector => StartSector + SectorCount;
}
