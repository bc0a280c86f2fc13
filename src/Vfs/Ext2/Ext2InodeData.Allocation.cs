namespace Hardware.Vfs.Ext2;

// Allocation state of one ext2 inode: where its last block went (the goal of the next), its reservation window,
// and the blocks promised to dirty pages that writeback has not allocated yet (delayed allocation).
internal sealed partial class Ext2InodeData
{
    /// <summary>i_next_alloc_block - 1: the file block allocated last (-1 before the first).</summary>
    public long LastAllocatedFileBlock { get; set; } = -1;

    /// <summary>i_next_alloc_goal - 1: the disk block it went to.</summary>
    public uint LastAllocatedBlock { get; set; }

    public Ext2ReservationWindow Window { get; } = new();

    /// <summary>Held while the block map changes (allocation at writeback, truncation, eviction).</summary>
    public Ext2InodeLock MapLock { get; } = new();

    /// <summary>File blocks written into the page cache and charged against the free blocks, not yet mapped on disk.</summary>
    public HashSet<long> PendingBlocks { get; } = [];

    /// <summary>Indirect blocks (by tree position) charged for <see cref="PendingBlocks"/>, not yet allocated.</summary>
    public HashSet<long> PendingIndirect { get; } = [];

    /// <summary>The inode was freed (evicted after its last link and open went): nothing of it may be written again.</summary>
    public bool IsFreed { get; set; }
}
