namespace Hardware.Vfs.Ext2;

/// <summary>
/// A file's block reservation window (ext2_reserve_window): a run of blocks the allocator prefers for this file's
/// next blocks and other files avoid, so files written side by side do not interleave. In memory only: the blocks
/// stay free in the bitmap until taken. It starts at EXT2_DEFAULT_RESERVE_BLOCKS (8) and doubles, up to
/// EXT2_MAX_RESERVE_BLOCKS (1027), while the file keeps filling more than half of each window.
/// </summary>
internal sealed class Ext2ReservationWindow
{
    public const int DefaultBlocks = 8;
    public const int MaxBlocks = 1027;

    /// <summary>rsv_start..rsv_end, inclusive; Start 0 when no window is held.</summary>
    public long Start { get; set; }

    public long End { get; set; }

    /// <summary>rsv_goal_size: the size of the next window.</summary>
    public int GoalSize { get; set; } = DefaultBlocks;

    /// <summary>rsv_alloc_hit: blocks taken from the current window.</summary>
    public int Hits { get; set; }

    public bool IsAllocated => Start != 0;

    public bool Contains(long block) => IsAllocated && block >= Start && block <= End;

    public bool Overlaps(long start, long end) => IsAllocated && Start <= end && End >= start;

    public override string ToString() => IsAllocated ? $"window {Start}..{End} ({Hits} hits, goal {GoalSize})" : "no window";
}
