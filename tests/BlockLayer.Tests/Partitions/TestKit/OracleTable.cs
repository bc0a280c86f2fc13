namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>A partition table as util-linux reports it, in the units of the table (logical sectors).</summary>
public sealed record OracleTable(string Label, int SectorSize, IReadOnlyList<OraclePartition> Partitions);

/// <summary>One partition as util-linux reports it; GPT-only and MBR-only fields are null where absent.</summary>
public sealed record OraclePartition(
    int Number, long Start, long Size, string Type, Guid? Uuid, string? Name, ulong Attributes, bool Bootable);
