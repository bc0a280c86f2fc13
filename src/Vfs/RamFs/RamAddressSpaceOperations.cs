using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.RamFs;

/// <summary>
/// ramfs's address-space operations: there is no backing store, so a page never seen is zeros and writeback has
/// nothing to do (the pages are the data; the space is unevictable so reclaim never drops them).
/// </summary>
public sealed class RamAddressSpaceOperations : IAddressSpaceOperations
{
    public static RamAddressSpaceOperations Instance { get; } = new();

    public ValueTask<Errno> ReadPagesAsync(PageBatch batch)
    {
        foreach (CachePage page in batch.Pages)
            page.Bytes.Clear();
        return new ValueTask<Errno>(Errno.None);
    }

    public ValueTask<Errno> WritePagesAsync(PageBatch batch) => new(Errno.None);

    public ValueTask<Errno> FlushAsync(int processId) => new(Errno.None);

    public ValueTask<Errno> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId) =>
        new(Errno.EINVAL);
}
