using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// What the owner of an address space supplies (Linux's address_space_operations): how file pages map to device
/// blocks. The cache decides what to read, write and when; the owner moves the bytes, normally by building one bio
/// whose segments are the batch's page frames, so the device DMAs straight into or out of the cache.
/// </summary>
public interface IAddressSpaceOperations
{
    /// <summary>
    /// Fills every page of <paramref name="batch"/> (locked, not up to date) with the data at its index (readahead /
    /// read_folio). Holes and the part past the end of the data are zero-filled. Returns the errno of the I/O.
    /// </summary>
    ValueTask<Errno> ReadPagesAsync(PageBatch batch);

    /// <summary>Writes every page of <paramref name="batch"/> (under writeback) to its place (writepages).</summary>
    ValueTask<Errno> WritePagesAsync(PageBatch batch);

    /// <summary>Makes every completed write durable: an empty flush (REQ_PREFLUSH) to the device's volatile cache.</summary>
    ValueTask<Errno> FlushAsync(int processId);

    /// <summary>
    /// O_DIRECT: moves data between the device and caller-owned guest memory (<paramref name="segments"/>), bypassing
    /// the cache; <paramref name="position"/> and every length are multiples of the device's logical block size.
    /// </summary>
    ValueTask<Errno> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId);

    /// <summary>
    /// The backing device's largest I/O in pages (the bdi's io_pages, from the queue's max_sectors_kb): a read larger
    /// than the read-ahead window may be read ahead in windows up to this size (ractl_max_pages). 0 when no block
    /// device is behind the space, so windows never exceed read_ahead_kb.
    /// </summary>
    int IoPages => 0;
}
