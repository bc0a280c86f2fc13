using Hardware.BlockLayer;
using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// Truncation (ext2_setsize / ext2_truncate_blocks / ext2_free_branches): the page cache drops what lies past the new
// size first (dirty pages included, after their I/O), the tail of the last block is zeroed on disk, then the blocks
// past the end are freed - direct ones, and in the indirect trees every data block past the end and every indirect
// block left empty.
public sealed partial class Ext2Volume
{
    /// <summary>
    /// truncate(2) on a regular file: up leaves a hole (nothing is allocated), down frees the blocks past the new
    /// size and zeroes the rest of the last block. Stamps mtime and ctime.
    /// </summary>
    internal async ValueTask<Errno> SetSizeAsync(Inode inode, long size)
    {
        if (!_readWrite)
            return Errno.EROFS;
        if (inode.Private is not Ext2InodeData data || inode.Mapping is not { } mapping)
            return Errno.EINVAL;
        if (size < 0 || size > inode.SuperBlock.MaxFileSize)
            return Errno.EFBIG;
        long old = inode.Size;
        await mapping.Cache.TruncateAsync(mapping, size);
        Errno error = Errno.None;
        if (size < old)
        {
            long kept = (size + BlockSize - 1) / BlockSize;
            ReleasePendingFrom(data, kept);
            error = await ZeroTailAsync(data, mapping, size);
            Errno freed = await FreeBlocksLockedAsync(data, kept);
            if (error == Errno.None)
                error = freed;
            DiscardWindow(data);
            data.LastAllocatedFileBlock = -1;
            data.LastAllocatedBlock = 0;
        }
        inode.Touch();
        return error;
    }

    /// <summary>
    /// block_truncate_page: the bytes of the last block past <paramref name="size"/> become zeros on disk, so a later
    /// extension reads zeros. The page (read if needed: a read zeroes past the size) is dirtied for writeback.
    /// </summary>
    private async ValueTask<Errno> ZeroTailAsync(Ext2InodeData data, AddressSpace mapping, long size)
    {
        if (size % BlockSize == 0)
            return Errno.None;
        long fileBlock = size / BlockSize;
        if (!data.PendingBlocks.Contains(fileBlock))
        {
            (uint block, Errno error) = await MapBlockAsync(data.Number, data.Record, fileBlock);
            if (error != Errno.None || block == 0)
                return error;
        }
        using PageLease lease = await mapping.Cache.BorrowAsync(mapping, size - 1);
        if (!lease.HasPage)
            return lease.Status;
        CachePage page = lease.Page;
        int from = (int)(size & (CachePage.Size - 1));
        if (from != 0)
            page.Bytes[from..].Clear();
        mapping.Cache.MarkPageDirty(page);
        return Errno.None;
    }

    private async ValueTask<Errno> FreeBlocksLockedAsync(Ext2InodeData data, long firstFileBlock)
    {
        await data.MapLock.EnterAsync(Buffers.Cache.Simulation);
        try
        {
            return await FreeBlocksFromAsync(data, firstFileBlock);
        }
        finally
        {
            data.MapLock.Exit();
        }
    }

    /// <summary>Frees every block of file block <paramref name="firstFileBlock"/> and beyond, and the indirect blocks left empty.</summary>
    private async ValueTask<Errno> FreeBlocksFromAsync(Ext2InodeData data, long firstFileBlock)
    {
        Ext2Inode record = data.Record;
        long per = PointersPerBlock;
        long freed = 0;
        Errno first = Errno.None;
        for (long i = firstFileBlock; i < Ext2Inode.DirectBlocks; i++)
        {
            uint block = record.Block[i];
            if (block == 0)
                continue;
            Errno error = await FreeBlockAsync(block, data.Number);
            Keep(ref first, error);
            if (error == Errno.None)
            {
                record.Block[i] = 0;
                freed++;
            }
        }
        long treeStart = Ext2Inode.DirectBlocks;
        long span = per;
        for (int depth = 1; depth <= 3; depth++, treeStart += span, span *= per)
        {
            int slot = Ext2Inode.IndirectSlot + depth - 1;
            uint top = record.Block[slot];
            if (top == 0 || firstFileBlock >= treeStart + span)
                continue;
            long start = Math.Max(0, firstFileBlock - treeStart);
            (bool emptied, long count, Errno error) = await TruncateTreeAsync(data.Number, top, depth, start);
            freed += count;
            Keep(ref first, error);
            if (emptied)
                record.Block[slot] = 0;
        }
        record.Blocks = (uint)Math.Max(0, record.Blocks - freed * (BlockSize / 512));
        RecordChanged(data);
        return first;
    }

    /// <summary>
    /// Frees the data blocks from index <paramref name="start"/> of the subtree under indirect block
    /// <paramref name="block"/> (<paramref name="depth"/> levels of pointers) and the indirect blocks this empties;
    /// returns whether <paramref name="block"/> itself was freed and how many blocks were. A corrupt pointer is
    /// reported and left alone (its block is not freed).
    /// </summary>
    private async ValueTask<(bool Emptied, long Freed, Errno Error)> TruncateTreeAsync(uint owner, uint block, int depth, long start)
    {
        (uint valid, Errno error) = Checked(owner, block, "indirect pointer");
        if (error != Errno.None)
            return (false, 0, error);
        uint[] entries = await ReadPointersAsync(valid);
        if (entries.Length == 0)
            return (false, 0, Errno.EIO);
        long span = 1;
        for (int i = 1; i < depth; i++)
            span *= PointersPerBlock;
        int firstEntry = (int)(start / span);
        long freed = 0;
        Errno first = Errno.None;
        bool changed = false;
        for (int e = firstEntry; e < entries.Length; e++)
        {
            uint entry = entries[e];
            if (entry == 0)
                continue;
            if (depth == 1)
            {
                Errno failed = await FreeBlockAsync(entry, owner);
                Keep(ref first, failed);
                if (failed != Errno.None)
                    continue;
                freed++;
            }
            else
            {
                long subStart = e == firstEntry ? start % span : 0;
                (bool emptied, long count, Errno failed) = await TruncateTreeAsync(owner, entry, depth - 1, subStart);
                freed += count;
                Keep(ref first, failed);
                if (!emptied)
                    continue;
            }
            entries[e] = 0;
            changed = true;
        }
        if (Array.TrueForAll(entries, static entry => entry == 0))
        {
            Errno failed = await FreeBlockAsync(valid, owner);
            Keep(ref first, failed);
            return failed == Errno.None ? (true, freed + 1, first) : (false, freed, first);
        }
        if (changed)
        {
            using BufferLease lease = await Buffers.GetBlockAsync(valid);
            if (!lease.Ok)
                return (false, freed, lease.Status);
            for (int e = firstEntry; e < entries.Length; e++)
                BinaryPrimitives.WriteUInt32LittleEndian(lease.Data[(e * 4)..], entries[e]);
            lease.MarkDirty();
        }
        return (false, freed, first);
    }
}
