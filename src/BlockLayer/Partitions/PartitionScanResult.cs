namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// What a scan found. <see cref="Error"/> set means the table exists but could not be used at all (then
/// <see cref="Partitions"/> is empty); <see cref="Warnings"/> say what was repaired, clipped or dropped while
/// still using it. No table at all is an empty list with no error.
/// </summary>
public sealed record PartitionScanResult(
    IReadOnlyList<PartitionInfo> Partitions, IoError? Error, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Error is null;
}
