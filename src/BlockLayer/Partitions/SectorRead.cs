using System.Diagnostics.CodeAnalysis;

namespace Hardware.BlockLayer.Partitions;

/// <summary>The outcome of one bounded read during a scan: the bytes, or why there are none.</summary>
internal readonly record struct SectorRead(byte[]? Data, IoError? Error)
{
    [MemberNotNullWhen(false, nameof(Data))]
    [MemberNotNullWhen(true, nameof(Error))]
    public bool Failed => Error is not null;
}
