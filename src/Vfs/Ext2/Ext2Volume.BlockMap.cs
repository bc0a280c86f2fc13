using Hardware.BlockLayer;
using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// get_block with create (ext2_get_blocks): the missing part of a file block's path through the direct, indirect,
// double and triple indirect pointers is allocated as one branch - the indirect blocks, zeroed, then the data block,
// each right after the previous one from the goal - and linked in only once all of it was allocated, so ENOSPC
// leaves nothing behind.
public sealed partial class Ext2Volume
{
    /// <summary>
    /// The disk block of file block <paramref name="fileBlock"/> of <paramref name="data"/>; 0 for a hole when not
    /// <paramref name="create"/>. With create, a missing block (and the indirect blocks on its path) is allocated at
    /// the goal through the file's reservation window, i_blocks grows and the inode is marked dirty. A block charged
    /// by a buffered write uses its charge; any other allocation needs free blocks beyond the reserved ones (root
    /// excepted).
    /// </summary>
    internal async ValueTask<(uint Block, Errno Error)> GetBlockAsync(Ext2InodeData data, long fileBlock, bool create)
    {
        if (!create)
            return await MapBlockAsync(data.Number, data.Record, fileBlock);
        await data.MapLock.EnterAsync(Buffers.Cache.Simulation);
        try
        {
            return await GetBlockHeldAsync(data, fileBlock, create);
        }
        finally
        {
            data.MapLock.Exit();
        }
    }

    /// <summary><see cref="GetBlockAsync"/> for a caller already holding <see cref="Ext2InodeData.MapLock"/>.</summary>
    internal async ValueTask<(uint Block, Errno Error)> GetBlockHeldAsync(Ext2InodeData data, long fileBlock, bool create)
    {
        if (!create)
            return await MapBlockAsync(data.Number, data.Record, fileBlock);
        (uint block, Errno error, _) = await CreateBlockHeldAsync(data, fileBlock);
        return (block, error);
    }

    /// <summary>
    /// get_block with create for a caller holding <see cref="Ext2InodeData.MapLock"/>; Allocated tells a block made
    /// now (its old contents are not file data: a writer that does not cover it whole must zero the rest) from one
    /// that was already mapped.
    /// </summary>
    internal async ValueTask<(uint Block, Errno Error, bool Allocated)> CreateBlockHeldAsync(Ext2InodeData data, long fileBlock)
    {
        if (!_readWrite)
            return (0, Errno.EROFS, false);
        bool charged = data.PendingBlocks.Remove(fileBlock);
        (uint block, Errno error, bool allocated) = await GetOrAllocateAsync(data, fileBlock, charged);
        if (charged && !allocated)
            ReleaseReserved(1);
        if (data.PendingBlocks.Count == 0 && data.PendingIndirect.Count > 0)
        {
            ReleaseReserved(data.PendingIndirect.Count);
            data.PendingIndirect.Clear();
        }
        return (block, error, allocated);
    }

    /// <summary>The slot in i_block and the entry at each indirect level for <paramref name="fileBlock"/>; returns the depth (0 direct), -1 past the triple indirect tree.</summary>
    private int BlockPath(long fileBlock, Span<int> path)
    {
        long per = PointersPerBlock;
        if (fileBlock < 0)
            return -1;
        if (fileBlock < Ext2Inode.DirectBlocks)
        {
            path[0] = (int)fileBlock;
            return 0;
        }
        int depth = TreeDepth(fileBlock, out long relative);
        if (depth == 3 && relative >= per * per * per)
            return -1;
        path[0] = Ext2Inode.IndirectSlot + depth - 1;
        long span = depth == 1 ? 1 : depth == 2 ? per : per * per;
        for (int level = 1; level <= depth; level++)
        {
            path[level] = (int)(relative / span % per);
            span /= per;
        }
        return depth;
    }

    private async ValueTask<(uint Block, Errno Error, bool Allocated)> GetOrAllocateAsync(Ext2InodeData data, long fileBlock, bool charged)
    {
        int[] path = new int[4];
        int depth = BlockPath(fileBlock, path);
        if (depth < 0)
            return (0, Errno.EFBIG, false);
        Ext2Inode record = data.Record;
        uint parent = 0;
        int level = 0;
        (uint current, Errno error) = Checked(data.Number, record.Block[path[0]], "block pointer slot", path[0]);
        while (error == Errno.None && current != 0 && level < depth)
        {
            parent = current;
            (current, error) = await ReadPointerAsync(data.Number, parent, path[level + 1]);
            level++;
        }
        if (error != Errno.None)
            return (0, error, false);
        if (current != 0)
            return (current, Errno.None, false);

        int count = depth - level + 1;
        var fresh = new uint[count];
        long goal = await FindGoalAsync(data, fileBlock, parent, path[level], level);
        bool privileged = IsPrivileged(data);
        int relativeDepthBase = depth;
        for (int i = 0; i < count; i++)
        {
            bool isData = i == count - 1;
            bool reserved = isData ? charged : data.PendingIndirect.Remove(IndirectKeyOf(fileBlock, relativeDepthBase, level + i));
            (uint block, Errno failed) = await AllocateBlockAsync(data, goal, reserved, privileged);
            if (block == 0)
            {
                if (reserved && !isData)
                    ReleaseReserved(1);
                await FreeAllAsync(data.Number, fresh.AsMemory(0, i));
                return (0, failed == Errno.None ? Errno.ENOSPC : failed, false);
            }
            fresh[i] = block;
            goal = block + 1;
        }
        for (int i = 0; i < count - 1; i++)
        {
            using BufferLease lease = await Buffers.GetBlockAsync(fresh[i]);
            if (!lease.Ok)
            {
                await FreeAllAsync(data.Number, fresh);
                return (0, lease.Status, false);
            }
            lease.Data.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(lease.Data[(path[level + i + 1] * 4)..], fresh[i + 1]);
            lease.MarkDirty();
        }
        if (level == 0)
        {
            record.Block[path[0]] = fresh[0];
        }
        else
        {
            using BufferLease lease = await Buffers.GetBlockAsync(parent);
            if (!lease.Ok)
            {
                await FreeAllAsync(data.Number, fresh);
                return (0, lease.Status, false);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(lease.Data[(path[level] * 4)..], fresh[0]);
            lease.MarkDirty();
        }
        record.Blocks += (uint)(count * (BlockSize / 512));
        data.LastAllocatedFileBlock = fileBlock;
        data.LastAllocatedBlock = fresh[^1];
        RecordChanged(data);
        return (fresh[^1], Errno.None, true);
    }

    private long IndirectKeyOf(long fileBlock, int depth, int level)
    {
        TreeDepth(fileBlock, out long relative);
        return IndirectKey(depth, level, relative);
    }

    private async ValueTask FreeAllAsync(uint owner, ReadOnlyMemory<uint> blocks)
    {
        for (int i = 0; i < blocks.Length; i++)
            await FreeBlockAsync(blocks.Span[i], owner);
    }

    private async ValueTask<(uint Block, Errno Error)> ReadPointerAsync(uint number, uint block, int index)
    {
        using BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return (0, lease.Status);
        uint next = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(index * 4)..]);
        return Checked(number, next, "indirect block", block, index);
    }

    /// <summary>
    /// ext2_find_goal: right after the file's previous block for a sequential write; else near the closest mapped
    /// block before this one in the same pointer array (ext2_find_near), or the indirect block holding the pointer;
    /// else the start of the inode's group.
    /// </summary>
    private async ValueTask<long> FindGoalAsync(Ext2InodeData data, long fileBlock, uint parent, int index, int level)
    {
        if (data.LastAllocatedBlock != 0 && fileBlock == data.LastAllocatedFileBlock + 1)
            return data.LastAllocatedBlock + 1L;
        if (level == 0)
        {
            for (int i = index - 1; i >= 0; i--)
            {
                if (data.Record.Block[i] != 0 && IsValidBlock(data.Record.Block[i]))
                    return data.Record.Block[i];
            }
        }
        else
        {
            using BufferLease lease = await Buffers.GetBlockAsync(parent);
            if (lease.Ok)
            {
                for (int i = index - 1; i >= 0; i--)
                {
                    uint near = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(i * 4)..]);
                    if (near != 0 && IsValidBlock(near))
                        return near;
                }
            }
            return parent;
        }
        int group = (int)((data.Number - 1) / Record.InodesPerGroup);
        return GroupFirstBlock(Math.Min(group, _groups.Length - 1));
    }

    /// <summary>i_blocks changed: the VFS inode follows and goes on the dirty list (or the record is written at the next sync).</summary>
    private void RecordChanged(Ext2InodeData data)
    {
        if (_inodes.TryGetValue(data.Number, out Inode? inode) && ReferenceEquals(inode.Private, data))
        {
            inode.Blocks = data.Record.Blocks;
            inode.SuperBlock.MarkDirty(inode);
        }
        else
        {
            _changedRecords.Add(data);
        }
    }

    private async ValueTask<Errno> WriteChangedRecordsAsync()
    {
        Errno first = Errno.None;
        foreach (Ext2InodeData data in _changedRecords.ToArray())
        {
            if (!data.IsFreed)
                Keep(ref first, await WriteRecordAsync(data));
        }
        _changedRecords.Clear();
        return first;
    }

    /// <summary>
    /// The number of runs of physically contiguous data blocks of <paramref name="inode"/>, in file order: a run
    /// continues across the file's own indirect blocks lying between two data blocks, and across a logical hole when
    /// the next block is physically the next one (filefrag would start a new extent there).
    /// </summary>
    public async ValueTask<VfsResult<int>> CountDataRunsAsync(Inode inode)
    {
        if (inode.Private is not Ext2InodeData data)
            return VfsResult<int>.Fail(Errno.EINVAL, $"inode {inode.Number} is not an ext2 inode");
        if (!HasBlockPointers(data.Record))
            return VfsResult<int>.Success(0);
        var dataBlocks = new List<uint>();
        var indirect = new HashSet<uint>();
        Ext2Inode record = data.Record;
        for (int i = 0; i < Ext2Inode.DirectBlocks; i++)
        {
            if (record.Block[i] != 0)
                dataBlocks.Add(record.Block[i]);
        }
        for (int depth = 1; depth <= 3; depth++)
        {
            uint top = record.Block[Ext2Inode.IndirectSlot + depth - 1];
            if (top == 0)
                continue;
            Errno error = await CollectTreeAsync(data.Number, top, depth, dataBlocks, indirect);
            if (error != Errno.None)
                return VfsResult<int>.Fail(error, error == Errno.EUCLEAN ? LastError : $"ext2 {DeviceName}: reading inode {data.Number}'s indirect blocks failed ({error})");
        }
        int runs = 0;
        for (int i = 0; i < dataBlocks.Count; i++)
        {
            if (i == 0 || !Continues(dataBlocks[i - 1], dataBlocks[i], indirect))
                runs++;
        }
        return VfsResult<int>.Success(runs);
    }

    private static bool Continues(uint previous, uint next, HashSet<uint> indirect)
    {
        if (next <= previous)
            return false;
        for (uint between = previous + 1; between < next; between++)
        {
            if (!indirect.Contains(between))
                return false;
        }
        return true;
    }

    private async ValueTask<Errno> CollectTreeAsync(uint number, uint block, int depth, List<uint> dataBlocks, HashSet<uint> indirect)
    {
        (uint valid, Errno error) = Checked(number, block, "indirect block");
        if (error != Errno.None)
            return error;
        if (!indirect.Add(valid))
            return Corrupt($"inode {number}: indirect block {valid} is used twice");
        uint[] entries = await ReadPointersAsync(valid);
        if (entries.Length == 0)
            return Errno.EIO;
        foreach (uint entry in entries)
        {
            if (entry == 0)
                continue;
            if (depth == 1)
            {
                (uint checkedEntry, Errno bad) = Checked(number, entry, $"indirect block {valid} entry");
                if (bad != Errno.None)
                    return bad;
                dataBlocks.Add(checkedEntry);
            }
            else
            {
                Errno failed = await CollectTreeAsync(number, entry, depth - 1, dataBlocks, indirect);
                if (failed != Errno.None)
                    return failed;
            }
        }
        return Errno.None;
    }

    /// <summary>The pointers of an indirect block (empty when it cannot be read).</summary>
    private async ValueTask<uint[]> ReadPointersAsync(uint block)
    {
        using BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return [];
        var entries = new uint[PointersPerBlock];
        for (int i = 0; i < entries.Length; i++)
            entries[i] = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(i * 4)..]);
        return entries;
    }

    /// <summary>Whether i_block holds block pointers: not a device node, FIFO or socket, and not a fast symlink.</summary>
    internal bool HasBlockPointers(Ext2Inode record)
    {
        InodeType type = record.Type;
        if (type is InodeType.Regular or InodeType.Directory)
            return true;
        if (type != InodeType.Symlink)
            return false;
        long eaBlocks = record.FileAcl != 0 ? BlockSize / 512 : 0;
        return record.Blocks - eaBlocks > 0;
    }
}
