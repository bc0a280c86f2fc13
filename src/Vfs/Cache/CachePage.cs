using Hardware.BlockLayer;
using Hardware.Emulator.Collections;
using Hardware.Emulator.Platform;

namespace Hardware.Vfs.Cache;

/// <summary>
/// One guest page frame as the cache uses it (Linux's struct page / folio of order 0): the device DMAs straight into
/// <see cref="Frame"/>, so the cached bytes are the disk's bytes with no copy. Pooled by <see cref="PagePool"/>;
/// linked intrusively into the LRU lists, so moving a page never allocates.
/// </summary>
public sealed class CachePage
{
    private readonly GuestMemory _memory;

    internal CachePage(PageFrame frame, GuestMemory memory)
    {
        Frame = frame;
        _memory = memory;
    }

    public const int Size = PageFrame.Size;

    public const int Shift = PageFrame.Shift;

    public PageFrame Frame { get; }

    /// <summary>Guest physical address of the page: what a bio segment names.</summary>
    public ulong Address => Frame.Address;

    /// <summary>The address space the page caches, or null while free or after truncation dropped it.</summary>
    public AddressSpace? Owner { get; internal set; }

    /// <summary>Page index in the owner (file offset / 4096).</summary>
    public long Index { get; internal set; }

    public PageFlags Flags { get; internal set; }

    /// <summary>Leases that pin the page; a pinned page is never evicted or reused.</summary>
    public int LeaseCount { get; internal set; }

    /// <summary>Virtual time (ns) the page last went from clean to dirty.</summary>
    public long DirtiedAt { get; internal set; }

    /// <summary>The page's bytes in guest memory (for filesystems filling holes and tests).</summary>
    public Span<byte> Bytes => _memory.GetSpan(Frame.Address, Size);

    /// <summary>
    /// <paramref name="length"/> bytes of guest memory from <paramref name="offset"/> in this frame, reaching into the
    /// frames that follow it in memory: the caller has checked that those frames hold the next pages.
    /// </summary>
    internal ReadOnlySpan<byte> FrameRun(int offset, int length) => _memory.GetSpan(Frame.Address + (ulong)offset, length);

    public bool Is(PageFlags flag) => (Flags & flag) != 0;

    internal void Set(PageFlags flag) => Flags |= flag;

    internal void Clear(PageFlags flag) => Flags &= ~flag;

    internal bool InCache { get; set; }

    /// <summary>In its space's <see cref="WritebackPageSet"/> (dirty or under writeback).</summary>
    internal bool InWritebackSet { get; set; }

    internal Errno LastError { get; set; }

    /// <summary>Links of the LRU list the page is on (see <see cref="PageList"/>).</summary>
    internal ListLinks<CachePage> Lru;

    /// <summary>The LRU list the page is on, if any.</summary>
    internal PageList? List => (PageList?)Lru.Owner;

    // Processes waiting for the page to be unlocked or leave writeback.
    internal PageWaiter? Waiters;

    /// <summary>Who rented the page, kept only by a tracking pool.</summary>
    internal string? Renter;

    public override string ToString() => $"page {Index} of {Owner?.Name ?? "(none)"} at {Frame} [{Flags}] leases {LeaseCount}";
}
