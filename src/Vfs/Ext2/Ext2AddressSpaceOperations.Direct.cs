using Hardware.BlockLayer;
using Hardware.Emulator.Platform;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// ext2_direct_IO: blockdev_direct_IO with ext2_get_block. The page cache has already written back and waited for
// the range (and drops it after a write); what is left is mapping the file's blocks and moving the data between the
// device and the caller's frames, sector-granular, one bio per run of contiguous sectors.
internal sealed partial class Ext2AddressSpaceOperations
{
    /// <summary>
    /// O_DIRECT on the file: a read maps its blocks a run at a time and fills holes and the part past the size with
    /// zeros; a write allocates every block it touches first (the file operations charged them, so the free count
    /// already allowed it) and, where it allocated a block it does not cover whole, writes zeros to the rest of it
    /// (dio_zero_block), so no stale disk contents become file data. Blocks whose device page is in the buffer cache
    /// are read from that copy and written through it, as buffered I/O does.
    /// </summary>
    public async ValueTask<Errno> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId)
    {
        if (op == BioOp.Write && !volume.IsReadWrite)
            return Errno.EROFS;
        long length = 0;
        foreach (BioSegment segment in segments.Span)
            length += segment.Length;
        return op == BioOp.Read
            ? await DirectReadAsync(space.Size, position, length, segments, processId)
            : await DirectWriteAsync(position, length, segments, processId);
    }

    private async ValueTask<Errno> DirectReadAsync(long size, long position, long length, ReadOnlyMemory<BioSegment> segments, int processId)
    {
        int blockSize = volume.BlockSize;
        GuestMemory memory = volume.Buffers.Cache.Pool.Memory;
        var runs = new BioRuns(volume, BioOp.Read, BioFlags.Sync, processId);
        long end = position + length;
        long lastFileBlock = (Math.Min(size, end) - 1) / blockSize;
        var blocks = new BlockRunCursor(volume, data, lastFileBlock);
        for (long at = position; at < end;)
        {
            long fileBlock = at / blockSize;
            int inBlock = (int)(at - fileBlock * blockSize);
            int bytes = (int)Math.Min(blockSize - inBlock, end - at);
            uint block = 0;
            if (fileBlock <= lastFileBlock)
            {
                (block, Errno error) = await blocks.NextAsync(fileBlock);
                if (error != Errno.None)
                {
                    await runs.SubmitAndWaitAsync();
                    return error;
                }
            }
            for (int done = 0; done < bytes;)
            {
                (ulong address, int piece) = Piece(segments.Span, at - position + done, bytes - done);
                Span<byte> target = memory.GetSpan(address, piece);
                if (block == 0)
                    target.Clear();
                else if (!volume.Buffers.TryCopyCached(block, target, inBlock + done))
                    runs.Add(SectorOf(block, inBlock + done), address, piece);
                done += piece;
            }
            at += bytes;
        }
        return await runs.SubmitAndWaitAsync();
    }

    private async ValueTask<Errno> DirectWriteAsync(long position, long length, ReadOnlyMemory<BioSegment> segments, int processId)
    {
        int blockSize = volume.BlockSize;
        long end = position + length;
        long firstFileBlock = position / blockSize;
        var blocks = new uint[(end - 1) / blockSize - firstFileBlock + 1];
        bool zeroHead = false;
        bool zeroTail = false;
        Errno error = Errno.None;
        await data.MapLock.EnterAsync(volume.Buffers.Cache.Simulation);
        try
        {
            for (int i = 0; i < blocks.Length && error == Errno.None; i++)
            {
                (uint block, Errno failed, bool allocated) = await volume.CreateBlockHeldAsync(data, firstFileBlock + i);
                (blocks[i], error) = (block, failed);
                zeroHead |= allocated && i == 0 && position % blockSize != 0;
                zeroTail |= allocated && i == blocks.Length - 1 && end % blockSize != 0;
            }
        }
        finally
        {
            data.MapLock.Exit();
        }
        if (error != Errno.None)
            return error;

        CachePage? zeros = null;
        PagePool pool = volume.Buffers.Cache.Pool;
        if (zeroHead || zeroTail)
        {
            if (!pool.TryRent(PageCache.DirectRenter, out zeros))
                return Errno.ENOMEM;
            zeros.Bytes.Clear();
        }
        try
        {
            // In ascending sector order, so each run of contiguous sectors is one bio: the zeroed head of a block the
            // write allocated, the data, the zeroed tail.
            var pieces = new List<(uint Block, int Offset, ulong Address, int Bytes)>(blocks.Length + 2);
            for (int i = 0; i < blocks.Length; i++)
            {
                long blockStart = (firstFileBlock + i) * blockSize;
                int from = (int)Math.Max(0, position - blockStart);
                int to = (int)Math.Min(blockSize, end - blockStart);
                if (i == 0 && zeroHead)
                    pieces.Add((blocks[i], 0, zeros!.Address, from));
                for (int done = from; done < to;)
                {
                    (ulong address, int piece) = Piece(segments.Span, blockStart + done - position, to - done);
                    pieces.Add((blocks[i], done, address, piece));
                    done += piece;
                }
                if (i == blocks.Length - 1 && zeroTail)
                    pieces.Add((blocks[i], to, zeros!.Address, blockSize - to));
            }
            var runs = new BioRuns(volume, BioOp.Write, BioFlags.Sync, processId);
            foreach ((uint block, int offset, ulong address, int bytes) in pieces)
            {
                await volume.Buffers.UpdateCachedCopyAsync(block, offset, address, bytes, afterWrite: false);
                runs.Add(SectorOf(block, offset), address, bytes);
            }
            Errno status = await runs.SubmitAndWaitAsync();
            foreach ((uint block, int offset, ulong address, int bytes) in pieces)
                await volume.Buffers.UpdateCachedCopyAsync(block, offset, address, bytes, afterWrite: true);
            return status;
        }
        finally
        {
            if (zeros is not null)
                pool.Return(zeros);
        }
    }

    private long SectorOf(uint block, int offsetInBlock) =>
        (long)block * (volume.BlockSize / Bio.SectorSize) + offsetInBlock / Bio.SectorSize;

    /// <summary>Where byte <paramref name="offset"/> of the transfer is in guest memory, and how many bytes (at most <paramref name="max"/>) follow it there.</summary>
    private static (ulong Address, int Bytes) Piece(ReadOnlySpan<BioSegment> segments, long offset, int max)
    {
        foreach (BioSegment segment in segments)
        {
            if (offset < segment.Length)
                return (segment.Address + (ulong)offset, (int)Math.Min(max, segment.Length - offset));
            offset -= segment.Length;
        }
        throw new ArgumentOutOfRangeException(nameof(offset), offset, "past the end of the transfer's segments");
    }
}
