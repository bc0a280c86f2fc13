using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// A regular file's address-space operations (ext2_aops): file blocks are mapped to disk blocks (get_block) and moved
/// by bios whose segments are the page frames themselves - one bio per run of contiguous disk blocks, zero copy.
/// Holes and the tail past i_size read as zeros. Writeback allocates the blocks a write charged (create) and leaves
/// unwritten holes unallocated. The device's buffer cache is kept coherent with the data: a block whose device page
/// is cached is read from that copy, and a write updates the copy, so a metadata writeback of a shared page can never
/// put old bytes over file data.
/// </summary>
internal sealed partial class Ext2AddressSpaceOperations(Ext2Volume volume, Ext2InodeData data) : IAddressSpaceOperations
{
    public int IoPages => (int)((long)volume.Buffers.Device.Limits.MaxSectors * Bio.SectorSize / CachePage.Size);

    public async ValueTask<Errno> ReadPagesAsync(PageBatch batch)
    {
        int blockSize = volume.BlockSize;
        long size = batch.Space.Size;
        // The batch's pages are consecutive: its blocks below the size are mapped a run at a time (ext2_get_blocks),
        // one block-map walk for as many blocks as one pointer array holds.
        long end = Math.Min(size, (batch[batch.Count - 1].Index + 1) << CachePage.Shift);
        var blocks = new BlockRunCursor(volume, data, (end - 1) / blockSize);
        var runs = new BioRuns(volume, BioOp.Read, batch.Flags, batch.ProcessId);
        for (int i = 0; i < batch.Count; i++)
        {
            CachePage page = batch[i];
            long pageStart = page.Index << CachePage.Shift;
            for (int offset = 0; offset < CachePage.Size; offset += blockSize)
            {
                if (pageStart + offset >= size)
                {
                    page.Bytes[offset..].Clear();
                    break;
                }
                (uint block, Errno error) = await blocks.NextAsync((pageStart + offset) / blockSize);
                if (error != Errno.None)
                {
                    await runs.SubmitAndWaitAsync();
                    return error;
                }
                Span<byte> bytes = page.Bytes.Slice(offset, blockSize);
                if (block == 0)
                    bytes.Clear();
                else if (!volume.Buffers.TryCopyCached(block, bytes))
                    runs.Add(block, page.Address + (ulong)offset);
            }
        }
        return await runs.SubmitAndWaitAsync();
    }

    public async ValueTask<Errno> WritePagesAsync(PageBatch batch)
    {
        var blocks = new List<(uint Block, CachePage Page, int Offset)>(batch.Count * (CachePage.Size / volume.BlockSize));
        // Map (and allocate) every block first: allocating an indirect block may bring a device page holding some
        // of these data blocks into the buffer cache, which the coherence steps below must then see. The batch holds
        // the map lock throughout, so concurrent batches of one file allocate one after another, in page order.
        Errno first;
        await data.MapLock.EnterAsync(volume.Buffers.Cache.Simulation);
        try
        {
            first = await MapBatchAsync(batch, blocks);
        }
        finally
        {
            data.MapLock.Exit();
        }
        var runs = new BioRuns(volume, BioOp.Write, batch.Flags, batch.ProcessId);
        foreach ((uint block, CachePage page, int offset) in blocks)
        {
            await volume.Buffers.UpdateCachedCopyAsync(block, page, offset, afterWrite: false);
            runs.Add(block, page.Address + (ulong)offset);
        }
        Errno status = await runs.SubmitAndWaitAsync();
        foreach ((uint block, CachePage page, int offset) in blocks)
            await volume.Buffers.UpdateCachedCopyAsync(block, page, offset, afterWrite: true);
        if (batch.Space.DirtyPages == 0 && volume.LiveInode(data.Number) is not { OpenCount: > 0 })
            volume.DiscardWindow(data);
        return first != Errno.None ? first : status;
    }

    /// <summary>
    /// The disk blocks of the batch's blocks below the size: a block a write charged is allocated if still a hole; an
    /// uncharged hole stays one (its bytes in the page are zeros).
    /// </summary>
    private async ValueTask<Errno> MapBatchAsync(PageBatch batch, List<(uint Block, CachePage Page, int Offset)> blocks)
    {
        int blockSize = volume.BlockSize;
        long size = batch.Space.Size;
        Errno first = Errno.None;
        for (int i = 0; i < batch.Count; i++)
        {
            CachePage page = batch[i];
            long pageStart = page.Index << CachePage.Shift;
            for (int offset = 0; offset < CachePage.Size && pageStart + offset < size; offset += blockSize)
            {
                long fileBlock = (pageStart + offset) / blockSize;
                bool written = data.PendingBlocks.Contains(fileBlock);
                (uint block, Errno error) = await volume.GetBlockHeldAsync(data, fileBlock, create: written);
                if (error != Errno.None)
                    first = first == Errno.None ? error : first;
                else if (block != 0)
                    blocks.Add((block, page, offset));
            }
        }
        return first;
    }

    /// <summary>fsync's last step: the inode and the metadata its data needed are written, then the device cache is flushed.</summary>
    public async ValueTask<Errno> FlushAsync(int processId)
    {
        if (!volume.IsReadWrite)
            return Errno.None;
        Errno inode = volume.LiveInode(data.Number) is { } live ? await volume.WriteInodeAsync(live) : Errno.None;
        Errno buffers = await volume.Buffers.SyncAsync(processId);
        return inode != Errno.None ? inode : buffers;
    }

    /// <summary>
    /// The disk blocks of consecutive file blocks up to <paramref name="lastFileBlock"/>, mapped a run at a time
    /// (ext2_get_blocks): one block-map walk serves as many blocks as one pointer array holds. Block 0 is a hole.
    /// </summary>
    private sealed class BlockRunCursor(Ext2Volume volume, Ext2InodeData data, long lastFileBlock)
    {
        private uint _next;
        private int _left;

        /// <summary>The disk block of <paramref name="fileBlock"/> (asked for consecutive blocks), or the error of the walk that maps it.</summary>
        public ValueTask<(uint Block, Errno Error)> NextAsync(long fileBlock) => _left > 0 ? new(Take()) : MapAsync(fileBlock);

        private async ValueTask<(uint Block, Errno Error)> MapAsync(long fileBlock)
        {
            int wanted = (int)Math.Min(lastFileBlock - fileBlock + 1, int.MaxValue);
            (uint first, int count, Errno error) = await volume.MapBlocksAsync(data.Number, data.Record, fileBlock, wanted);
            if (error != Errno.None)
                return (0, error);
            (_next, _left) = (first, count);
            return Take();
        }

        private (uint Block, Errno Error) Take()
        {
            uint block = _next;
            if (_next != 0)
                _next++;
            _left--;
            return (block, Errno.None);
        }
    }

    /// <summary>Bios over runs of contiguous disk sectors, segments merged where the memory is contiguous too.</summary>
    private sealed class BioRuns(Ext2Volume volume, BioOp op, BioFlags flags, int processId)
    {
        private readonly List<Bio> _bios = [];
        private Bio? _current;
        private long _nextSector = -1;
        private ulong _segmentAddress;
        private int _segmentLength;

        /// <summary>A whole block from the memory at <paramref name="address"/>.</summary>
        public void Add(uint block, ulong address) => Add((long)block * (volume.BlockSize / Bio.SectorSize), address, volume.BlockSize);

        /// <summary><paramref name="bytes"/> (whole sectors) from <paramref name="sector"/> on, from the memory at <paramref name="address"/>.</summary>
        public void Add(long sector, ulong address, int bytes)
        {
            if (_current is not null && sector == _nextSector)
            {
                if (address == _segmentAddress + (ulong)_segmentLength)
                {
                    _segmentLength += bytes;
                }
                else
                {
                    _current.AddSegment(new BioSegment(_segmentAddress, _segmentLength));
                    _segmentAddress = address;
                    _segmentLength = bytes;
                }
            }
            else
            {
                Close();
                _current = volume.RentBio();
                _current.Reset(op, sector, flags, processId);
                _segmentAddress = address;
                _segmentLength = bytes;
            }
            _nextSector = sector + bytes / Bio.SectorSize;
        }

        private void Close()
        {
            if (_current is null)
                return;
            _current.AddSegment(new BioSegment(_segmentAddress, _segmentLength));
            _bios.Add(_current);
            _current = null;
        }

        /// <summary>Submits every run (plugged together), waits for all, returns the first error.</summary>
        public async ValueTask<Errno> SubmitAndWaitAsync()
        {
            Close();
            if (_bios.Count == 0)
                return Errno.None;
            BlockDevice device = volume.Buffers.Device;
            for (int i = 0; i < _bios.Count - 1; i++)
            {
                if (device.Submit(_bios[i]) is { } refused)
                    _bios[i].Complete(refused.Errno);
            }
            Errno first = await device.SubmitAndWaitAsync(_bios[^1]);
            for (int i = 0; i < _bios.Count - 1; i++)
            {
                Errno status = await _bios[i].Completion.Task;
                if (first == Errno.None)
                    first = status;
            }
            foreach (Bio bio in _bios)
                volume.ReturnBio(bio);
            _bios.Clear();
            return first;
        }
    }
}
