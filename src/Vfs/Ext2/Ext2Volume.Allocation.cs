using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// Block allocation over the group bitmaps (balloc.c). Every change updates the bitmap buffer (dirty),
// bg_free_blocks_count and s_free_blocks_count together (inode allocation is in Ext2Volume.InodeAllocation). Data
// written through the page cache is allocated at writeback (delayed allocation): a write charges its blocks, and
// the indirect blocks they may need, against the free count at once, so ENOSPC is returned by write(2) and never
// discovered at writeback.
public sealed partial class Ext2Volume
{
    /// <summary>Every file's held window, in start order; they never overlap.</summary>
    private readonly List<Ext2ReservationWindow> _windows = [];
    private readonly HashSet<Ext2InodeData> _changedRecords = [];

    /// <summary>Blocks charged to dirty pages (and the indirect blocks they may need) and not yet allocated.</summary>
    public long DelayedBlocks { get; private set; }

    /// <summary>Live reservation windows (one per file being written).</summary>
    internal int WindowCount => _windows.Count;

    internal long GroupFirstBlock(int group) => Record.FirstDataBlock + (long)group * Record.BlocksPerGroup;

    private int GroupBlockCount(int group) => (int)Math.Min(Record.BlocksPerGroup, Record.BlocksCount - GroupFirstBlock(group));

    private int GroupOf(long block) => (int)((block - Record.FirstDataBlock) / Record.BlocksPerGroup);

    /// <summary>ext2_has_free_blocks: free blocks beyond the delayed ones, and beyond s_r_blocks_count for non-root.</summary>
    private bool HasFreeBlocks(long count, bool privileged)
    {
        long available = Record.FreeBlocksCount - DelayedBlocks - (privileged ? 0 : Record.ReservedBlocksCount);
        return available >= count;
    }

    private void ReleaseReserved(long count) => DelayedBlocks = Math.Max(0, DelayedBlocks - count);

    private bool IsPrivileged(Ext2InodeData data) =>
        _inodes.TryGetValue(data.Number, out Inode? inode) ? inode.Uid == 0 : data.Record.Uid == 0;

    /// <summary>
    /// Charges a buffered write of <paramref name="length"/> bytes at <paramref name="position"/>: each file block not
    /// yet charged counts one block plus the indirect blocks its path may need. Shortens the write to what fits, or
    /// gives ENOSPC when not even its first block does (root may use the reserved blocks).
    /// </summary>
    internal Errno ReserveForWrite(Inode inode, long position, ref int length)
    {
        if (!_readWrite)
            return Errno.EROFS;
        if (length <= 0)
            return Errno.None;
        var data = (Ext2InodeData)inode.Private!;
        bool privileged = inode.Uid == 0;
        long first = position / BlockSize;
        long last = (position + length - 1) / BlockSize;
        Span<long> keys = stackalloc long[3];
        for (long fileBlock = first; fileBlock <= last; fileBlock++)
        {
            if (data.PendingBlocks.Contains(fileBlock))
                continue;
            int keyCount = IndirectKeys(fileBlock, keys);
            int need = 1;
            for (int k = 0; k < keyCount; k++)
                need += data.PendingIndirect.Contains(keys[k]) ? 0 : 1;
            if (!HasFreeBlocks(need, privileged))
            {
                if (fileBlock == first)
                    return Errno.ENOSPC;
                length = (int)(fileBlock * BlockSize - position);
                return Errno.None;
            }
            data.PendingBlocks.Add(fileBlock);
            for (int k = 0; k < keyCount; k++)
                data.PendingIndirect.Add(keys[k]);
            DelayedBlocks += need;
        }
        return Errno.None;
    }

    /// <summary>Gives back the charges of pending blocks from <paramref name="firstFileBlock"/> on (truncated or evicted pages).</summary>
    private void ReleasePendingFrom(Ext2InodeData data, long firstFileBlock)
    {
        // Most files have nothing pending when truncated or evicted: no predicate is made for an empty set.
        if (data.PendingBlocks.Count > 0)
            ReleaseReserved(RemovePendingFrom(data.PendingBlocks, firstFileBlock));
        if (data.PendingBlocks.Count == 0 && data.PendingIndirect.Count > 0)
        {
            ReleaseReserved(data.PendingIndirect.Count);
            data.PendingIndirect.Clear();
        }
    }

    private static int RemovePendingFrom(HashSet<long> pending, long firstFileBlock) =>
        pending.RemoveWhere(fileBlock => fileBlock >= firstFileBlock);

    /// <summary>The tree positions of the indirect blocks on the path to <paramref name="fileBlock"/> (top first).</summary>
    private int IndirectKeys(long fileBlock, Span<long> keys)
    {
        if (fileBlock < Ext2Inode.DirectBlocks)
            return 0;
        int depth = TreeDepth(fileBlock, out long relative);
        for (int level = 0; level < depth; level++)
            keys[level] = IndirectKey(depth, level, relative);
        return depth;
    }

    /// <summary>Which tree (1 indirect, 2 double, 3 triple) holds <paramref name="fileBlock"/>, and its index inside it.</summary>
    private int TreeDepth(long fileBlock, out long relative)
    {
        long per = PointersPerBlock;
        relative = fileBlock - Ext2Inode.DirectBlocks;
        if (relative < per)
            return 1;
        relative -= per;
        if (relative < per * per)
            return 2;
        relative -= per * per;
        return 3;
    }

    private long IndirectKey(int depth, int level, long relative)
    {
        long span = 1;
        for (int i = level; i < depth; i++)
            span *= PointersPerBlock;
        return (long)depth << 60 | (long)level << 56 | relative / span;
    }

    /// <summary>
    /// Allocates one block for <paramref name="data"/> at or after <paramref name="goal"/>: inside the file's
    /// reservation window when it has one there, else in a new window not overlapping another file's, else anywhere.
    /// <paramref name="reserved"/>: the block was charged by a write (no free-count check). ENOSPC when none is left.
    /// </summary>
    internal async ValueTask<(uint Block, Errno Error)> AllocateBlockAsync(Ext2InodeData? data, long goal, bool reserved, bool privileged)
    {
        if (!reserved && !HasFreeBlocks(1, privileged))
            return (0, Errno.ENOSPC);
        if (goal < Record.FirstDataBlock || goal >= Record.BlocksCount)
            goal = Record.FirstDataBlock;
        Ext2ReservationWindow? window = data?.Window;
        if (window is { IsAllocated: true })
        {
            if (window.Contains(goal))
            {
                (uint taken, Errno error) = await TakeFreeInRangeAsync(goal, window.End, reserved);
                if (taken != 0 || error != Errno.None)
                {
                    window.Hits += taken != 0 ? 1 : 0;
                    return (taken, error);
                }
                goal = window.End + 1 < Record.BlocksCount ? window.End + 1 : Record.FirstDataBlock;
            }
            // The window is used up (or the file moved elsewhere): a busy file gets a bigger one next.
            if (window.Hits * 2 > window.End - window.Start + 1)
                window.GoalSize = Math.Min(window.GoalSize * 2, Ext2ReservationWindow.MaxBlocks);
            DiscardWindow(window);
        }
        int windowSize = data is null ? 0 : WindowSize(data);
        int groups = _groups.Length;
        int goalGroup = GroupOf(goal);
        // Pass 0 searches the goal's group from the goal, passes 1..n-1 the others, pass n the goal group's start.
        for (int pass = 0; pass <= groups; pass++)
        {
            int group = (goalGroup + pass) % groups;
            if (_groups[group].FreeBlocksCount == 0)
                continue;
            int from = pass == 0 ? (int)(goal - GroupFirstBlock(group)) : 0;
            int limit = pass == groups ? (int)(goal - GroupFirstBlock(group)) : GroupBlockCount(group);
            (uint taken, Errno error) = await TakeInGroupAsync(group, from, limit, window, windowSize, reserved);
            if (taken != 0 || error != Errno.None)
                return (taken, error);
        }
        // Every free block lies in another file's window: take one anyway (windows are only a preference).
        if (window is not null)
        {
            for (int pass = 0; pass <= groups; pass++)
            {
                int group = (goalGroup + pass) % groups;
                if (_groups[group].FreeBlocksCount == 0)
                    continue;
                int from = pass == 0 ? (int)(goal - GroupFirstBlock(group)) : 0;
                int limit = pass == groups ? (int)(goal - GroupFirstBlock(group)) : GroupBlockCount(group);
                (uint taken, Errno error) = await TakeInGroupAsync(group, from, limit, null, 0, reserved);
                if (taken != 0 || error != Errno.None)
                    return (taken, error);
            }
        }
        return (0, Errno.ENOSPC);
    }

    /// <summary>
    /// The size of the next window of <paramref name="data"/>. ext2_try_to_allocate_with_rsv makes a window at least
    /// as big as the request; writeback allocates one block at a time, so the request is what the file's writes
    /// charged and writeback has not allocated yet. A regular file no longer open has all its data charged: its window
    /// is exactly that, so a small file does not hold 8 blocks away from the files and directories growing beside
    /// it. A file still open, or a directory, may keep growing: at least <see cref="Ext2ReservationWindow.GoalSize"/>.
    /// </summary>
    private int WindowSize(Ext2InodeData data)
    {
        Ext2ReservationWindow window = data.Window;
        long need = Math.Min(data.PendingBlocks.Count + data.PendingIndirect.Count + 1L, Ext2ReservationWindow.MaxBlocks);
        bool complete = data.Record.Type == InodeType.Regular && LiveInode(data.Number) is not { OpenCount: > 0 };
        if (complete)
            return (int)need;
        window.GoalSize = (int)Math.Max(need, window.GoalSize);
        return window.GoalSize;
    }

    /// <summary>Takes the first free block of [<paramref name="from"/>, <paramref name="to"/>] (one group's range).</summary>
    private async ValueTask<(uint Block, Errno Error)> TakeFreeInRangeAsync(long from, long to, bool reserved)
    {
        int group = GroupOf(from);
        long first = GroupFirstBlock(group);
        int limit = (int)Math.Min(to - first + 1, GroupBlockCount(group));
        if (_groups[group].FreeBlocksCount == 0)
            return (0, Errno.None);
        return await TakeInGroupAsync(group, (int)(from - first), limit, null, 0, reserved);
    }

    /// <summary>
    /// Takes the first free block of bits [from, limit) of <paramref name="group"/>; with a <paramref name="window"/>
    /// to open, skips blocks inside other files' windows and opens the window (of <paramref name="windowSize"/>
    /// blocks) at the block taken.
    /// </summary>
    private async ValueTask<(uint Block, Errno Error)> TakeInGroupAsync(int group, int from, int limit, Ext2ReservationWindow? window, int windowSize, bool reserved)
    {
        if (from >= limit)
            return (0, Errno.None);
        long first = GroupFirstBlock(group);
        uint bitmapBlock = _groups[group].BlockBitmap;
        using BufferLease lease = await Buffers.GetBlockAsync(bitmapBlock);
        if (!lease.Ok)
            return (0, lease.Status);
        Span<byte> map = lease.Data;
        int bit = from;
        while (true)
        {
            bit = FindZero(map, bit, limit);
            if (bit < 0)
                return (0, Errno.None);
            long block = first + bit;
            if (window is not null && OtherWindowAt(block, window) is { } other)
            {
                bit = (int)Math.Min(limit, other.End + 1 - first);
                continue;
            }
            if (IsGroupMetadata(group, block))
                return (0, Corrupt($"block bitmap {bitmapBlock} of group {group} marks metadata block {block} free"));
            map[bit >> 3] |= (byte)(1 << (bit & 7));
            lease.MarkDirty();
            _groups[group] = _groups[group] with { FreeBlocksCount = (ushort)(_groups[group].FreeBlocksCount - 1) };
            Record.FreeBlocksCount--;
            if (reserved)
                ReleaseReserved(1);
            if (window is not null)
                OpenWindow(window, block, windowSize, first + GroupBlockCount(group) - 1);
            return ((uint)block, Errno.None);
        }
    }

    /// <summary>Another file's window holding <paramref name="block"/>, or null. Windows never overlap: at most one does.</summary>
    private Ext2ReservationWindow? OtherWindowAt(long block, Ext2ReservationWindow mine)
    {
        int at = FirstWindowAfter(block) - 1;
        return at >= 0 && _windows[at] != mine && _windows[at].Contains(block) ? _windows[at] : null;
    }

    /// <summary>Opens <paramref name="window"/> of <paramref name="size"/> blocks at <paramref name="start"/> (its first block is being taken), up to the group's end or the next window.</summary>
    private void OpenWindow(Ext2ReservationWindow window, long start, int size, long groupLast)
    {
        long end = Math.Min(start + Math.Max(size, 1) - 1, groupLast);
        int at = FirstWindowAfter(start);
        if (at < _windows.Count)
            end = Math.Min(end, _windows[at].Start - 1);
        window.Start = start;
        window.End = end;
        window.Hits = 1;
        _windows.Insert(at, window);
    }

    /// <summary>ext2_discard_reservation.</summary>
    private void DiscardWindow(Ext2ReservationWindow window)
    {
        if (!window.IsAllocated)
            return;
        int at = FirstWindowAfter(window.Start) - 1;
        if (at < 0 || _windows[at] != window)
            throw new InvalidOperationException($"{window} is held but not in the volume's window list");
        _windows.RemoveAt(at);
        window.Start = 0;
        window.End = 0;
        window.Hits = 0;
    }

    /// <summary>
    /// The position of the first window starting after <paramref name="block"/>. The windows are kept in start order
    /// (the rb-tree of ext2's rsv_window_root), so finding one is a binary search, not a walk of every file's window.
    /// </summary>
    private int FirstWindowAfter(long block)
    {
        int low = 0, high = _windows.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_windows[middle].Start <= block)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    internal void DiscardWindow(Ext2InodeData data) => DiscardWindow(data.Window);

    private bool IsGroupMetadata(int group, long block)
    {
        Ext2GroupDescriptor descriptor = _groups[group];
        long tableBlocks = ((long)Record.InodesPerGroup * Record.InodeSize + BlockSize - 1) / BlockSize;
        return block == descriptor.BlockBitmap || block == descriptor.InodeBitmap ||
            (block >= descriptor.InodeTable && block < descriptor.InodeTable + tableBlocks);
    }

    /// <summary>Frees one block (ext2_free_blocks): bitmap, counts, and the buffer cache forgets it (bforget).</summary>
    internal async ValueTask<Errno> FreeBlockAsync(uint block, uint owner)
    {
        if (!IsValidBlock(block))
            return Corrupt($"inode {owner}: freeing block {block} outside the volume");
        int group = GroupOf(block);
        if (IsGroupMetadata(group, block))
            return Corrupt($"inode {owner}: freeing block {block}, which is metadata of group {group}");
        int bit = (int)(block - GroupFirstBlock(group));
        uint bitmapBlock = _groups[group].BlockBitmap;
        using (BufferLease lease = await Buffers.GetBlockAsync(bitmapBlock))
        {
            if (!lease.Ok)
                return lease.Status;
            Span<byte> map = lease.Data;
            if ((map[bit >> 3] & (1 << (bit & 7))) == 0)
                return Corrupt($"inode {owner}: freeing block {block}, already free in block bitmap {bitmapBlock} of group {group}");
            map[bit >> 3] &= (byte)~(1 << (bit & 7));
            lease.MarkDirty();
        }
        _groups[group] = _groups[group] with { FreeBlocksCount = (ushort)(_groups[group].FreeBlocksCount + 1) };
        Record.FreeBlocksCount++;
        Buffers.Forget(block);
        return Errno.None;
    }

    /// <summary>The first clear bit of [<paramref name="from"/>, <paramref name="limit"/>), or -1 (whole 0xFF bytes skipped at once).</summary>
    private static int FindZero(ReadOnlySpan<byte> map, int from, int limit)
    {
        int bit = from;
        while (bit < limit)
        {
            if ((bit & 7) == 0 && limit - bit >= 8)
            {
                int end = limit >> 3;
                int skip = map[(bit >> 3)..end].IndexOfAnyExcept((byte)0xFF);
                if (skip < 0)
                {
                    bit = end << 3;
                    continue;
                }
                bit += skip << 3;
            }
            if ((map[bit >> 3] & (1 << (bit & 7))) == 0)
                return bit;
            bit++;
        }
        return -1;
    }
}
