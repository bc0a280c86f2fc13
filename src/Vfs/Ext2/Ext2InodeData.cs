namespace Hardware.Vfs.Ext2;

/// <summary>
/// An ext2 inode's private data (i_private, Linux's ext2_inode_info around the VFS inode): its number and its
/// on-disk record. A regular file's data goes with its inode onto the superblock's free list at eviction and is
/// reset for the next new file (<see cref="Reset"/>): the record, the pending-block sets, the lock and the page
/// operations are kept rather than made again.
/// </summary>
internal sealed partial class Ext2InodeData(uint number, Ext2Inode record)
{
    public uint Number { get; private set; } = number;

    public Ext2Inode Record { get; private set; } = record;

    /// <summary>A symlink's target, read on first use.</summary>
    public string? Target { get; set; }

    /// <summary>The page-cache operations of a regular file over this data, made once per data object.</summary>
    public Ext2AddressSpaceOperations? PageOperations { get; set; }

    /// <summary>Whether a freed inode's data can be reset for another inode: its map lock is free.</summary>
    public bool CanReset => IsFreed && !MapLock.IsHeld;

    /// <summary>
    /// This data made ready for inode <paramref name="number"/> over <paramref name="record"/>: as a new object would
    /// be - no target, no allocation history or window, nothing pending, not freed.
    /// </summary>
    public void Reset(uint number, Ext2Inode record)
    {
        if (!CanReset)
            throw new InvalidOperationException($"ext2 inode {Number}: only freed data with a free map lock can be reused");
        Number = number;
        Record = record;
        Target = null;
        LastAllocatedFileBlock = -1;
        LastAllocatedBlock = 0;
        Window.Start = 0;
        Window.End = 0;
        Window.Hits = 0;
        Window.GoalSize = Ext2ReservationWindow.DefaultBlocks;
        PendingBlocks.Clear();
        PendingIndirect.Clear();
        IsFreed = false;
    }
}
