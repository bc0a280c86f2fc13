using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// A borrowed, read-only view of cached bytes (no copy). While held the page is pinned: never evicted, reused or
/// freed by truncation. Dispose exactly once to return it. A failed borrow carries <see cref="Status"/> and no page.
/// </summary>
public readonly struct PageLease : IDisposable
{
    private readonly PageCache? _cache;
    private readonly CachePage? _page;
    private readonly int _offset;

    internal PageLease(PageCache cache, CachePage page, int offset, int length)
    {
        _cache = cache;
        _page = page;
        _offset = offset;
        Length = length;
        Status = Errno.None;
    }

    internal PageLease(Errno status)
    {
        Status = status;
    }

    public Errno Status { get; }

    public bool HasPage => _page is not null;

    /// <summary>Bytes of the lease: from the requested position to the end of the page or of the data.</summary>
    public int Length { get; }

    public CachePage Page => _page ?? throw new InvalidOperationException($"a failed lease ({Status}) has no page");

    public ReadOnlySpan<byte> Span => _page is null ? default : _page.Bytes.Slice(_offset, Length);

    /// <summary>Bytes from the lease's start to the end of its page.</summary>
    internal int PageRemainder() => CachePage.Size - _offset;

    public void Dispose() => _cache?.ReleaseLease(_page!);
}
