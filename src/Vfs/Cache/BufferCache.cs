using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// A block device's metadata cache (Linux's buffer heads over the block device's page cache): blocks of the
/// filesystem block size (1, 2 or 4 KiB) live inside cached pages of the device's own address space, read and
/// written through the same page machinery - zero copy, one page I/O serves every block in it.
/// </summary>
public sealed class BufferCache
{
    public BufferCache(PageCache cache, BlockDevice device, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(device);
        if (blockSize is not (1024 or 2048 or 4096) || blockSize < device.LogicalBlockSize)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"{device.Name}: a block is 1, 2 or 4 KiB and at least the {device.LogicalBlockSize}-byte logical block");
        Cache = cache;
        Device = device;
        BlockSize = blockSize;
        Mapping = new BlockDeviceMapping(cache.Simulation, device, 0, BioFlags.Meta);
        Space = cache.CreateAddressSpace(device.Name, Mapping, device.CapacityBytes);
        BlockCount = device.CapacityBytes / blockSize;
    }

    public PageCache Cache { get; }

    public BlockDevice Device { get; }

    public int BlockSize { get; }

    public long BlockCount { get; }

    public BlockDeviceMapping Mapping { get; }

    /// <summary>The device's address space (the block device inode's page cache).</summary>
    public AddressSpace Space { get; }

    /// <summary>
    /// The bytes of block <paramref name="blockNumber"/> (sb_bread), read on a miss; the lease pins the page and must
    /// be disposed. Out-of-range block numbers give EINVAL; a failed read gives its errno.
    /// </summary>
    public ValueTask<BufferLease> GetBlockAsync(long blockNumber, int processId = 0)
    {
        if (blockNumber < 0 || blockNumber >= BlockCount)
            return new ValueTask<BufferLease>(new BufferLease(Errno.EINVAL));
        ValueTask<PageLease> borrow = Cache.BorrowAsync(Space, blockNumber * BlockSize, null, processId);
        return borrow.IsCompletedSuccessfully
            ? new ValueTask<BufferLease>(new BufferLease(this, borrow.Result))
            : WaitForBlockAsync(borrow);
    }

    private async ValueTask<BufferLease> WaitForBlockAsync(ValueTask<PageLease> borrow)
    {
        PageLease lease = await borrow;
        return lease.HasPage ? new BufferLease(this, lease) : new BufferLease(lease.Status == Errno.None ? Errno.EIO : lease.Status);
    }

    /// <summary>The cached device page holding <paramref name="blockNumber"/>, or null (no I/O, no access marking).</summary>
    private CachePage? CachedPage(long blockNumber) => Space.FindPage(blockNumber * BlockSize >> CachePage.Shift);

    private int OffsetInPage(long blockNumber) => (int)(blockNumber * BlockSize & (CachePage.Size - 1));

    /// <summary>Whether the device page holding <paramref name="blockNumber"/> is cached (so data moved around the cache must keep it coherent).</summary>
    public bool IsCached(long blockNumber) => (uint)blockNumber < (ulong)BlockCount && CachedPage(blockNumber) is not null;

    /// <summary>
    /// Copies the cached bytes of <paramref name="blockNumber"/> from <paramref name="offsetInBlock"/> on into
    /// <paramref name="destination"/> (to its length; a whole block by default) when its page is cached and up to date
    /// (the cached copy is never older than the disk); false when there is nothing to copy.
    /// </summary>
    public bool TryCopyCached(long blockNumber, Span<byte> destination, int offsetInBlock = 0)
    {
        // One index lookup per block: every block of a file read passes here.
        if ((ulong)blockNumber >= (ulong)BlockCount || CachedPage(blockNumber) is not { } page)
            return false;
        if (!page.Is(PageFlags.Uptodate) || page.Is(PageFlags.Locked))
            return false;
        page.Bytes.Slice(OffsetInPage(blockNumber) + offsetInBlock, destination.Length).CopyTo(destination);
        return true;
    }

    /// <summary>
    /// Keeps a cached copy of <paramref name="blockNumber"/> equal to file data written to it around the cache (a
    /// bio straight from <paramref name="source"/> at <paramref name="sourceOffset"/>): when the device page is
    /// cached, waits for its read or writeback and copies the block in, so a later writeback of the page (dirty for
    /// a neighbouring metadata block) can never put old bytes over the data. <paramref name="afterWrite"/>: the
    /// data bio has completed, so a copy that still differed (read or written back while the bio was in flight)
    /// is also marked dirty to put the data back.
    /// </summary>
    public ValueTask UpdateCachedCopyAsync(long blockNumber, CachePage source, int sourceOffset, bool afterWrite) =>
        UpdateCachedCopyAsync(blockNumber, 0, source.Address + (ulong)sourceOffset, BlockSize, afterWrite);

    /// <summary>
    /// <see cref="UpdateCachedCopyAsync(long, CachePage, int, bool)"/> for part of a block: the
    /// <paramref name="length"/> bytes at <paramref name="offsetInBlock"/> were written from guest memory at
    /// <paramref name="sourceAddress"/> (an O_DIRECT segment, a whole block or a run of its sectors).
    /// </summary>
    public async ValueTask UpdateCachedCopyAsync(long blockNumber, int offsetInBlock, ulong sourceAddress, int length, bool afterWrite)
    {
        if (!IsCached(blockNumber))
            return;
        CachePage page = CachedPage(blockNumber)!;
        if (!await Cache.WaitPageIdleAsync(page, Space) || !page.Is(PageFlags.Uptodate))
            return;
        Span<byte> cached = page.Bytes.Slice(OffsetInPage(blockNumber) + offsetInBlock, length);
        ReadOnlySpan<byte> data = Cache.Pool.Memory.GetSpan(sourceAddress, length);
        if (cached.SequenceEqual(data))
            return;
        data.CopyTo(cached);
        if (afterWrite)
            Cache.MarkCachedPageDirty(page);
    }

    /// <summary>
    /// bforget: <paramref name="blockNumber"/> was freed, so its cached bytes are dead. A page holding only this block
    /// is dropped even when dirty (a stale metadata write must not land on the block once it is reallocated); a
    /// page shared with other blocks is dropped only when clean and idle.
    /// </summary>
    public void Forget(long blockNumber)
    {
        if (!IsCached(blockNumber))
            return;
        CachePage page = CachedPage(blockNumber)!;
        if (BlockSize == CachePage.Size || !page.Is(PageFlags.Dirty))
            Cache.TryDropPage(page);
    }

    /// <summary>Writes every dirty block and flushes the device cache (sync_blockdev + blkdev_issue_flush).</summary>
    public ValueTask<Errno> SyncAsync(int processId = 0) => Cache.FsyncAsync(Space, processId);
}

/// <summary>A pinned, writable view of one cached metadata block (a buffer_head reference); dispose to release.</summary>
public readonly struct BufferLease : IDisposable
{
    private readonly BufferCache? _owner;
    private readonly PageLease _lease;

    internal BufferLease(BufferCache owner, PageLease lease)
    {
        _owner = owner;
        _lease = lease;
        Status = Errno.None;
    }

    internal BufferLease(Errno status)
    {
        Status = status;
    }

    public Errno Status { get; }

    public bool Ok => _owner is not null;

    /// <summary>The block's bytes, in the cached page itself: parse and update them in place.</summary>
    public Span<byte> Data => _owner is null ? default : _lease.Page.Bytes.Slice(CachePage.Size - _lease.PageRemainder(), _owner.BlockSize);

    /// <summary>Marks the block (its page) dirty so writeback or sync writes it (mark_buffer_dirty).</summary>
    public void MarkDirty()
    {
        if (_owner is null)
            throw new InvalidOperationException($"a failed block lease ({Status}) cannot be dirtied");
        _owner.Cache.MarkPageDirty(_lease.Page);
    }

    public void Dispose() => _lease.Dispose();
}
