using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// A regular file's address-space operations: each page's file blocks are mapped to disk blocks (get_block through
/// the direct and indirect pointers) and copied from the device's buffer cache; holes and the tail past i_size read
/// as zeros. Read-only in this slice: writeback is refused with EROFS.
/// </summary>
internal sealed class Ext2AddressSpaceOperations(Ext2Volume volume, Ext2InodeData data) : IAddressSpaceOperations
{
    public async ValueTask<Errno> ReadPagesAsync(PageBatch batch)
    {
        int blockSize = volume.BlockSize;
        long size = (long)data.Record.FileSize;
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
                Errno error = await volume.ReadFileBlockAsync(data.Number, data.Record, (pageStart + offset) / blockSize, page, offset);
                if (error != Errno.None)
                    return error;
            }
        }
        return Errno.None;
    }

    public ValueTask<Errno> WritePagesAsync(PageBatch batch) => new(Errno.EROFS);

    public ValueTask<Errno> FlushAsync(int processId) => new(Errno.None);

    public ValueTask<Errno> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId) =>
        new(Errno.EINVAL);
}
