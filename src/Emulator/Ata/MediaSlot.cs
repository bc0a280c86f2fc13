namespace Hardware.Emulator.Ata;

/// <summary>Who a media access belongs to.</summary>
internal enum MediaSlotOwner : byte
{
    /// <summary>Free from <see cref="MediaSlot.FreeAt"/> on.</summary>
    None,
    /// <summary>A host command's read, write or verify.</summary>
    Command,
    /// <summary>Dirty cache data going to the medium.</summary>
    Destage,
    /// <summary>Read-ahead streaming; any new access cuts it.</summary>
    ReadAhead,
    /// <summary>An access whose owner was aborted; the mechanism is still busy until its end.</summary>
    Aborted,
}

/// <summary>
/// One access the medium can have in progress (a single actuator has one; flash has one per die). It records what
/// is being read or written and when its sectors pass under the head, for conflicts and for power loss.
/// </summary>
internal sealed class MediaSlot
{
    public MediaSlot(int index)
    {
        Index = index;
    }

    public int Index { get; }

    /// <summary>Bumped for every access, so a completion event of an earlier access is recognised.</summary>
    public long Generation;
    public MediaSlotOwner Owner;
    public DriveCommand? Command;
    public long CommandGeneration;
    public bool IsWrite;
    public long Lba;
    public int Count;
    public long Start;
    /// <summary>When the first sector starts passing the head (start + positioning estimate).</summary>
    public long TransferStart;
    public long End;
    /// <summary>The earliest start of the next access (after a cut read-ahead the medium may still be finishing).</summary>
    public long FreeAt;
    /// <summary>Destage data, sized for the longest destage and kept.</summary>
    public byte[] Staging = [];

    public bool IsFree => Owner == MediaSlotOwner.None;

    public bool IsActiveAccess => Owner is MediaSlotOwner.Command or MediaSlotOwner.Destage;

    /// <summary>Whole sectors written by <paramref name="now"/>: writes are atomic per sector, so a cut write keeps only those.</summary>
    public int SectorsDoneBy(long now)
    {
        if (now >= End)
            return Count;
        if (now <= TransferStart || End <= TransferStart)
            return 0;
        return (int)Math.Min(Count, (long)Count * (now - TransferStart) / (End - TransferStart));
    }
}
