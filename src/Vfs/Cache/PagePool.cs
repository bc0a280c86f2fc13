using Hardware.Emulator.Platform;

namespace Hardware.Vfs.Cache;

/// <summary>A page the pool handed out and has not got back: who rented it and, when tracking, from where.</summary>
public sealed record PageRental(PageFrame Frame, string Renter, string? StackTrace);

/// <summary>
/// The cache's page frames, taken from the machine's <see cref="PageFrameAllocator"/> so that disks DMA straight
/// into cached pages. Bounded by <see cref="LimitPages"/>: past it <see cref="TryRent"/> fails and the cache must
/// evict. Returned pages stay with the pool for reuse (no churn through the frame allocator). In tracking mode
/// every rental records its renter and stack, and <see cref="Outstanding"/> lists what was never returned.
/// </summary>
public sealed class PagePool : IDisposable
{
    private readonly GuestMemory _memory;
    private readonly PageFrameAllocator _frames;
    private readonly Stack<CachePage> _free = new();
    private readonly Dictionary<CachePage, string?>? _tracked;
    private int _created;

    public PagePool(GuestMemory memory, PageFrameAllocator frames, long limitBytes, bool trackRentals = false)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(frames);
        if (limitBytes < CachePage.Size)
            throw new ArgumentOutOfRangeException(nameof(limitBytes), limitBytes, $"the page pool needs at least one {CachePage.Size}-byte page");
        _memory = memory;
        _frames = frames;
        LimitPages = (int)Math.Min(int.MaxValue, limitBytes / CachePage.Size);
        TrackRentals = trackRentals;
        if (trackRentals)
            _tracked = new Dictionary<CachePage, string?>(ReferenceEqualityComparer.Instance);
    }

    /// <summary>The guest memory the frames are in: for data that reaches a frame by address only (an O_DIRECT segment).</summary>
    public GuestMemory Memory => _memory;

    public int LimitPages { get; }

    public long LimitBytes => (long)LimitPages * CachePage.Size;

    public bool TrackRentals { get; }

    /// <summary>Pages out on rent now.</summary>
    public int RentedPages { get; private set; }

    /// <summary>Most pages ever rented at once.</summary>
    public int PeakRentedPages { get; private set; }

    /// <summary>Frames taken from the machine so far (rented or free in the pool).</summary>
    public int FramesHeld => _created;

    public bool IsFull => RentedPages >= LimitPages;

    /// <summary>Rents a page for <paramref name="renter"/>; false at the limit or when guest memory is exhausted.</summary>
    public bool TryRent(string renter, out CachePage page)
    {
        if (RentedPages >= LimitPages)
        {
            page = null!;
            return false;
        }
        if (!_free.TryPop(out page!))
        {
            if (!_frames.TryAllocate(out PageFrame frame))
                return false;
            page = new CachePage(frame, _memory);
            _created++;
        }
        RentedPages++;
        PeakRentedPages = Math.Max(PeakRentedPages, RentedPages);
        page.Renter = renter;
        _tracked?.Add(page, Environment.StackTrace);
        return true;
    }

    public void Return(CachePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Renter is null)
            throw new InvalidOperationException($"{page} returned to the pool twice");
        if (page.LeaseCount != 0 || page.List is not null || page.InCache || page.Waiters is not null)
            throw new InvalidOperationException($"{page} returned while still in use");
        _tracked?.Remove(page);
        page.Renter = null;
        page.Owner = null;
        page.Flags = PageFlags.None;
        page.LastError = default;
        RentedPages--;
        _free.Push(page);
    }

    /// <summary>Pages rented and not returned (renter and, when tracking, the renting stack); empty when not tracking.</summary>
    public IReadOnlyList<PageRental> Outstanding
    {
        get
        {
            if (_tracked is null)
                return [];
            var list = new List<PageRental>(_tracked.Count);
            foreach ((CachePage page, string? stack) in _tracked)
                list.Add(new PageRental(page.Frame, page.Renter ?? "?", stack));
            return list;
        }
    }

    /// <summary>Gives every frame back to the machine; every page must have been returned.</summary>
    public void Dispose()
    {
        if (RentedPages != 0)
            throw new InvalidOperationException($"page pool disposed with {RentedPages} pages still rented");
        while (_free.TryPop(out CachePage? page))
            _frames.Free(page.Frame);
        _created = 0;
    }
}
