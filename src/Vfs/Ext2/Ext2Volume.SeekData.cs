using Hardware.BlockLayer;
using System.Buffers.Binary;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// SEEK_DATA / SEEK_HOLE from the block map (what ext4 answers through iomap; Linux's ext2 itself uses
// generic_file_llseek, where the whole file is data). A file block is data when i_block maps it or when a buffered
// write charged it and writeback has not allocated it yet (delayed allocation: PendingBlocks). Holes are whole
// blocks; the end of the file is a hole. The walk skips an absent indirect, double or triple indirect subtree at once.
public sealed partial class Ext2Volume
{
    /// <summary>
    /// The first data (<paramref name="wantData"/>) or hole offset at or after <paramref name="offset"/> of a regular
    /// file, -1 (ENXIO) at or past its size or when no data follows. The map is read under the inode's map lock, so a
    /// writeback moving a block from pending to allocated is seen as one or the other, never neither. A block map that
    /// cannot be read (an I/O error or a corrupt pointer, recorded as usual) answers as if every byte were data - the
    /// read that follows reports the error.
    /// </summary>
    internal async ValueTask<long> SeekDataOrHoleAsync(Inode inode, long offset, bool wantData)
    {
        long size = inode.Size;
        if (offset >= size)
            return -1;
        if (inode.Private is not Ext2InodeData data)
            return wantData ? offset : size;
        long end = (size + BlockSize - 1) / BlockSize;
        long found;
        Errno error;
        await data.MapLock.EnterAsync(Buffers.Cache.Simulation);
        try
        {
            long[] pending = data.PendingBlocks.Count == 0 ? [] : [.. data.PendingBlocks.Order()];
            (found, error) = await FindBlockAsync(data, pending, offset / BlockSize, end, wantData);
        }
        finally
        {
            data.MapLock.Exit();
        }
        if (error != Errno.None)
            return wantData ? offset : size;
        if (found < 0)
            return wantData ? -1 : size;
        return Math.Max(offset, found * BlockSize);
    }

    /// <summary>
    /// The first file block in [<paramref name="from"/>, <paramref name="end"/>) that is data (or a hole), -1 when
    /// none is; <paramref name="pending"/> holds the blocks written but not yet allocated, in order.
    /// </summary>
    private async ValueTask<(long Block, Errno Error)> FindBlockAsync(Ext2InodeData data, long[] pending, long from, long end, bool wantData)
    {
        Ext2Inode record = data.Record;
        for (long fileBlock = from; fileBlock < Math.Min(end, Ext2Inode.DirectBlocks); fileBlock++)
        {
            (long found, Errno error) = FindInLeaf(data, pending, record.Block[fileBlock], fileBlock, fileBlock + 1, wantData, $"direct pointer {fileBlock}");
            if (error != Errno.None || found >= 0)
                return (found, error);
        }
        long treeStart = Ext2Inode.DirectBlocks;
        long span = PointersPerBlock;
        for (int depth = 1; depth <= 3 && treeStart < end; depth++)
        {
            int slot = Ext2Inode.IndirectSlot + depth - 1;
            (long found, Errno error) = await FindInNodeAsync(data, pending, record.Block[slot], depth, treeStart, span, from, end, wantData, $"indirect pointer slot {slot}");
            if (error != Errno.None || found >= 0)
                return (found, error);
            treeStart += span;
            span *= PointersPerBlock;
        }
        return (-1, Errno.None);
    }

    /// <summary>
    /// Searches the subtree under <paramref name="pointer"/> (an indirect block of <paramref name="depth"/> levels
    /// covering <paramref name="span"/> file blocks from <paramref name="nodeStart"/>), limited to [from, end).
    /// </summary>
    private async ValueTask<(long Block, Errno Error)> FindInNodeAsync(Ext2InodeData data, long[] pending, uint pointer, int depth, long nodeStart, long span,
        long from, long end, bool wantData, string where)
    {
        long low = Math.Max(from, nodeStart);
        long high = Math.Min(end, nodeStart + span);
        if (low >= high)
            return (-1, Errno.None);
        if (depth == 0 || pointer == 0)
            return FindInLeaf(data, pending, pointer, low, high, wantData, where);
        (uint block, Errno error) = Checked(data.Number, pointer, where);
        if (error != Errno.None)
            return (-1, error);
        long childSpan = span / PointersPerBlock;
        int first = (int)((low - nodeStart) / childSpan);
        int last = (int)((high - 1 - nodeStart) / childSpan);
        uint[] entries = new uint[last - first + 1];
        using (BufferLease lease = await Buffers.GetBlockAsync(block))
        {
            if (!lease.Ok)
                return (-1, lease.Status);
            for (int i = first; i <= last; i++)
                entries[i - first] = BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(i * 4)..]);
        }
        for (int i = first; i <= last; i++)
        {
            (long found, Errno failed) = await FindInNodeAsync(data, pending, entries[i - first], depth - 1, nodeStart + i * childSpan, childSpan,
                from, end, wantData, $"indirect block {block} entry {i}");
            if (failed != Errno.None || found >= 0)
                return (found, failed);
        }
        return (-1, Errno.None);
    }

    /// <summary>
    /// [low, high) under one pointer that is either a data block (mapped: all data) or 0 (an absent block or subtree:
    /// a hole except where a write is pending).
    /// </summary>
    private (long Block, Errno Error) FindInLeaf(Ext2InodeData data, long[] pending, uint pointer, long low, long high, bool wantData, string where)
    {
        (uint block, Errno error) = Checked(data.Number, pointer, where);
        if (error != Errno.None)
            return (-1, error);
        if (block != 0)
            return (wantData ? low : -1, Errno.None);
        int next = Array.BinarySearch(pending, low);
        if (next < 0)
            next = ~next;
        if (wantData)
            return (next < pending.Length && pending[next] < high ? pending[next] : -1, Errno.None);
        long hole = low;
        while (hole < high && next < pending.Length && pending[next] == hole)
        {
            hole++;
            next++;
        }
        return (hole < high ? hole : -1, Errno.None);
    }
}
