using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// The cached pages of one owner - a file's inode or a block device (Linux's struct address_space): an O(1) page
/// index, the owner's operations, the owner's data size, dirty and writeback counts, and the first writeback error
/// not yet reported by fsync. Create through <see cref="PageCache.CreateAddressSpace"/>.
/// </summary>
public sealed class AddressSpace
{
    internal AddressSpace(PageCache cache, string name, IAddressSpaceOperations operations, long size)
    {
        Cache = cache;
        Name = name;
        Operations = operations;
        Size = size;
    }

    public PageCache Cache { get; }

    /// <summary>Names the owner in messages and in the page pool's rental records ("sda", "inode 12 on sda1").</summary>
    public string Name { get; }

    public IAddressSpaceOperations Operations { get; }

    /// <summary>Bytes of data (the inode's i_size); reads stop here, writes past it extend it.</summary>
    public long Size { get; set; }

    public int PageCount => Pages.Count;

    public int DirtyPages { get; internal set; }

    public int WritebackPages { get; internal set; }

    /// <summary>A writeback failure since the last fsync (errseq): reported once, then cleared.</summary>
    public Errno PendingWriteError { get; internal set; }

    /// <summary>Still attached to the cache; false after <see cref="PageCache.Release"/>.</summary>
    public bool IsLive { get; internal set; } = true;

    /// <summary>
    /// The pages are the only copy of the data (ramfs; Linux's AS_UNEVICTABLE): reclaim never frees them, and direct
    /// reclaim does not write them back hoping to free one.
    /// </summary>
    public bool Unevictable { get; set; }

    internal PageIndexTable Pages { get; } = new();

    /// <summary>The cached page at <paramref name="index"/>, or null (no side effects: no access marking).</summary>
    public CachePage? FindPage(long index) => Pages.Find(index);

    public override string ToString() => $"{Name}: {PageCount} pages, {DirtyPages} dirty, {WritebackPages} under writeback, size {Size}";
}
