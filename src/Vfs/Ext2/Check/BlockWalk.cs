using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// One inode's block map walked in ext2fs_block_iterate order (direct pointers, then each indirect block before the
/// blocks it lists): every pointer in range, claimed once, indirect blocks off the metadata; counts the blocks for
/// i_blocks, the last file block for i_size, whether the blocks are contiguous, and a directory's blocks for pass 2.
/// The depth is fixed at three levels and the claims are budgeted, so garbage pointers cannot loop or run away.
/// </summary>
internal sealed class BlockWalk(CheckState state, uint number, Ext2Inode inode, bool isDirectory)
{
    private const int DoubleIndirectDepth = 2;

    private uint _previous;
    private long _lastDirectoryBlock = -1;

    /// <summary>Blocks claimed (data and indirect, plus an attribute block).</summary>
    public long BlockCount { get; set; }

    /// <summary>The highest file block with data (-1 when none).</summary>
    public long LastBlock { get; private set; } = -1;

    public bool Fragmented { get; private set; }

    private bool IsResizeInode => number == InodePass.ResizeInode;

    public async ValueTask RunAsync()
    {
        long per = state.PointersPerBlock;
        for (int i = 0; i < Ext2Inode.DirectBlocks; i++)
            Visit(inode.Block[i], i, 0);
        long first = Ext2Inode.DirectBlocks;
        await IndirectAsync(inode.Block[Ext2Inode.IndirectSlot], 1, first);
        first += per;
        await IndirectAsync(inode.Block[Ext2Inode.DoubleIndirectSlot], 2, first);
        first += per * per;
        await IndirectAsync(inode.Block[Ext2Inode.TripleIndirectSlot], 3, first);
    }

    private async ValueTask IndirectAsync(uint block, int depth, long firstFileBlock)
    {
        if (block == 0 || state.ClaimBudget <= 0)
            return;
        if (!Visit(block, firstFileBlock, depth))
            return;
        uint[] pointers;
        using (BufferLease lease = await state.ReadAsync(block, $"inode {number} indirect block (level {depth})"))
        {
            if (!lease.Ok)
                return;
            pointers = new uint[state.PointersPerBlock];
            for (int i = 0; i < pointers.Length; i++)
                pointers[i] = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(i * 4)..]);
        }
        long span = depth switch { 1 => 1, 2 => state.PointersPerBlock, _ => (long)state.PointersPerBlock * state.PointersPerBlock };
        for (int i = 0; i < pointers.Length && state.ClaimBudget > 0; i++)
        {
            if (depth == 1)
                Visit(pointers[i], firstFileBlock + i, 0);
            else
                await IndirectAsync(pointers[i], depth - 1, firstFileBlock + i * span);
        }
    }

    /// <summary>process_block: one pointer (<paramref name="depth"/> 0 for data); returns whether it names a legal block.</summary>
    private bool Visit(uint block, long fileBlock, int depth)
    {
        if (block == 0)
            return false;
        string what = depth == 0 ? $"file block {fileBlock}" : $"level-{depth} indirect block for file block {fileBlock}";
        if (_previous != 0 && !IsResizeInode && _previous + 1 != block)
            Fragmented = true;
        if (isDirectory && depth == 0 && fileBlock > 1L << (21 - (int)state.Super.LogBlockSize))
            state.Problem($"inode {number}: directory {what} is past the largest directory size");
        if (!state.IsLegalBlock(block))
        {
            state.Problem($"inode {number}: {what} names block {block} outside the volume ({state.FirstDataBlock}..{state.BlocksCount - 1})");
            return false;
        }
        if (depth > 0 && !IsResizeInode && state.MetadataBlocks[block])
            state.Problem($"inode {number}: {what} names block {block}, which holds filesystem metadata");
        // The resize inode's indirect blocks are the reserved descriptor blocks, marked with the metadata already.
        if (!IsResizeInode || depth == DoubleIndirectDepth && fileBlock == Ext2Inode.DirectBlocks + state.PointersPerBlock)
            Claim(block, what);
        BlockCount++;
        if (depth == 0)
        {
            LastBlock = Math.Max(LastBlock, fileBlock);
            if (isDirectory)
            {
                while (++_lastDirectoryBlock < fileBlock)
                    state.DirectoryBlocks.Add((number, _lastDirectoryBlock, 0));
                state.DirectoryBlocks.Add((number, fileBlock, block));
            }
        }
        _previous = block;
        return true;
    }

    /// <summary>mark_block_used: a second claim is a multiply-claimed block.</summary>
    public void Claim(uint block, string what)
    {
        state.ClaimBudget--;
        if (state.ClaimBudget == 0)
            state.Problem($"inode {number}: block pointers claim more blocks than the volume has; the walk stops here");
        if (state.ClaimedBlocks.Add(block))
        {
            state.BlockOwners[block] = number;
            return;
        }
        uint owner = state.BlockOwners[block];
        string first = owner == 0 ? "filesystem metadata" : $"inode {owner}";
        state.Problem($"inode {number}: {what} names block {block}, already claimed by {first}");
    }
}
