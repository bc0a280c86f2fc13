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
        _name = name;
        _owner = name;
        Operations = operations;
        Size = size;
    }

    /// <summary>An inode's address space, named "<paramref name="owner"/>:<paramref name="number"/>" when first shown.</summary>
    internal AddressSpace(PageCache cache, string owner, long number, IAddressSpaceOperations operations, long size)
    {
        Cache = cache;
        _owner = owner;
        _ownerNumber = number;
        Operations = operations;
        Size = size;
    }

    public PageCache Cache { get; }

    /// <summary>
    /// Names the owner in messages and in the page pool's rental records ("sda", "sda1:12" for inode 12); an inode's
    /// name is made the first time it is asked for, so creating a file makes no string.
    /// </summary>
    public string Name => _name ??= $"{_owner}:{_ownerNumber}";

    private string? _name;
    private string _owner;
    private long _ownerNumber;

    public IAddressSpaceOperations Operations { get; private set; }

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

    /// <summary>The dirty pages and those under writeback, in index order.</summary>
    internal WritebackPageSet WritebackSet { get; } = new();

    /// <summary>Where the next background writeback chunk starts (mapping->writeback_index).</summary>
    internal long WritebackIndex { get; set; }

    /// <summary>
    /// A released, empty address space made ready for a recycled inode (the inode's embedded i_data): new owner and
    /// operations, size given, no pages (the index keeps its table unless it grew large), counters and error cleared.
    /// </summary>
    internal void Reset(string owner, long number, IAddressSpaceOperations operations, long size)
    {
        if (IsLive || Pages.Count != 0 || DirtyPages != 0 || WritebackPages != 0)
            throw new InvalidOperationException($"{this}: only a released, empty address space can be reused");
        _owner = owner;
        _ownerNumber = number;
        _name = null;
        Operations = operations;
        Size = size;
        PendingWriteError = Errno.None;
        WritebackIndex = 0;
        Unevictable = false;
        Pages.Reset();
        IsLive = true;
    }

    /// <summary>The cached page at <paramref name="index"/>, or null (no side effects: no access marking).</summary>
    public CachePage? FindPage(long index) => Pages.Find(index);

    public override string ToString() => $"{Name}: {PageCount} pages, {DirtyPages} dirty, {WritebackPages} under writeback, size {Size}";
}
