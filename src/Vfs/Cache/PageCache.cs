using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Cache;

/// <summary>
/// The page cache of one machine: address spaces of cached guest page frames drawn from a bounded
/// <see cref="PagePool"/>, an active/inactive LRU with second chance for eviction, read-ahead, dirty tracking with a
/// flusher in virtual time, and O_DIRECT. Everything runs on the simulation's single thread.
/// </summary>
public sealed partial class PageCache
{
    private readonly Simulation _simulation;
    private readonly PageList _inactive = new("inactive");
    private readonly PageList _active = new("active");
    private readonly Stack<PageWaiter> _freeWaiters = new();
    private readonly Stack<PageBatch> _freeBatches = new();
    private readonly List<AddressSpace> _spaces = [];

    public PageCache(Simulation simulation, PagePool pool, PageCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(pool);
        options ??= new PageCacheOptions();
        options.Validate();
        _simulation = simulation;
        Pool = pool;
        Options = options;
        _flusher = new SimTimer(simulation, OnFlusherTimer);
    }

    public PagePool Pool { get; }

    public PageCacheOptions Options { get; }

    public PageCacheStatistics Statistics { get; } = new();

    public long Now => _simulation.Now;

    public Simulation Simulation => _simulation;

    /// <summary>Pages cached in every address space.</summary>
    public int CachedPages => _inactive.Count + _active.Count;

    public int ActivePages => _active.Count;

    public int InactivePages => _inactive.Count;

    public int DirtyPages { get; private set; }

    public int WritebackPages { get; private set; }

    /// <summary>Leases handed out and not yet returned.</summary>
    public int OutstandingLeases { get; private set; }

    public IReadOnlyList<AddressSpace> AddressSpaces => _spaces;

    /// <summary>A new, empty address space for an owner whose pages <paramref name="operations"/> read and write.</summary>
    public AddressSpace CreateAddressSpace(string name, IAddressSpaceOperations operations, long size = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var space = new AddressSpace(this, name, operations, size);
        _spaces.Add(space);
        return space;
    }

    /// <summary>
    /// An inode's address space (named "<paramref name="owner"/>:<paramref name="number"/>" when shown): a new one, or
    /// <paramref name="released"/> - the released, empty space of a recycled inode - reset and attached again.
    /// </summary>
    internal AddressSpace AttachAddressSpace(AddressSpace? released, string owner, long number, IAddressSpaceOperations operations, long size)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        AddressSpace space;
        if (released is not null && ReferenceEquals(released.Cache, this))
        {
            released.Reset(owner, number, operations, size);
            space = released;
        }
        else
        {
            space = new AddressSpace(this, owner, number, operations, size);
        }
        _spaces.Add(space);
        return space;
    }

    /// <summary>A read-ahead state for a newly opened file, with this cache's maximum window.</summary>
    public ReadAheadState CreateReadAheadState() => new(Options.ReadAheadMaxPages);

    /// <summary>
    /// Detaches <paramref name="space"/> (an inode being evicted, a device closing): waits for its I/O and drops its
    /// pages. Dirty pages are dropped too - sync first to keep them. Leased pages are freed when their lease ends.
    /// </summary>
    public async ValueTask ReleaseAsync(AddressSpace space)
    {
        CheckSpace(space);
        await DropPagesFromAsync(space, 0);
        space.IsLive = false;
        _spaces.Remove(space);
    }

    internal void CheckSpace(AddressSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!ReferenceEquals(space.Cache, this))
            throw new ArgumentException($"{space.Name} belongs to another page cache", nameof(space));
        if (!space.IsLive)
            throw new ArgumentException($"{space.Name} was released", nameof(space));
    }

    // ---- page membership ----

    private void AddToCache(AddressSpace space, CachePage page, long index, PageFlags flags)
    {
        page.Owner = space;
        page.Index = index;
        page.Flags = flags;
        page.InCache = true;
        space.Pages.Add(page);
        _inactive.AddLast(page);
    }

    private void RemoveFromCache(CachePage page)
    {
        AddressSpace space = page.Owner!;
        space.Pages.Remove(page);
        space.WritebackSet.Remove(page);
        page.List!.Remove(page);
        page.InCache = false;
        if (page.Is(PageFlags.Dirty))
        {
            page.Clear(PageFlags.Dirty);
            space.DirtyPages--;
            DirtyPages--;
        }
        FreeIfUnused(page);
    }

    private void FreeIfUnused(CachePage page)
    {
        if (!page.InCache && page.LeaseCount == 0 && page.Waiters is null && (page.Flags & (PageFlags.Locked | PageFlags.Writeback)) == 0)
            Pool.Return(page);
    }

    /// <summary>mark_page_accessed: a first access sets Referenced, a second one on the inactive list activates.</summary>
    private void MarkAccessed(CachePage page)
    {
        if (!page.Is(PageFlags.Referenced))
        {
            page.Set(PageFlags.Referenced);
            return;
        }
        if (!page.Is(PageFlags.Active))
        {
            _inactive.Remove(page);
            page.Set(PageFlags.Active);
            page.Clear(PageFlags.Referenced);
            _active.AddLast(page);
            Statistics.Activations++;
        }
    }

    /// <summary>At reclaim, keeps the active list no larger than the inactive one by demoting its oldest pages (shrink_active_list).</summary>
    private void BalanceLists()
    {
        while (_active.Count > _inactive.Count && _active.First is { } oldest)
        {
            _active.Remove(oldest);
            oldest.Clear(PageFlags.Active | PageFlags.Referenced);
            _inactive.AddLast(oldest);
        }
    }

    private void MarkDirty(CachePage page)
    {
        if (page.Is(PageFlags.Dirty))
            return;
        page.Set(PageFlags.Dirty);
        page.DirtiedAt = _simulation.Now;
        page.Owner!.WritebackSet.MarkDirty(page);
        page.Owner.DirtyPages++;
        DirtyPages++;
        OnPageDirtied();
    }

    /// <summary>Marks a leased page dirty after its bytes were changed in place (set_page_dirty).</summary>
    public void MarkPageDirty(CachePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!page.InCache || page.LeaseCount == 0)
            throw new InvalidOperationException($"{page} is dirtied without a lease on it");
        MarkDirty(page);
    }

    // ---- leases ----

    internal PageLease Lease(CachePage page, int offset, int length)
    {
        page.LeaseCount++;
        OutstandingLeases++;
        return new PageLease(this, page, offset, length);
    }

    internal void ReleaseLease(CachePage page)
    {
        if (page.LeaseCount <= 0)
            throw new InvalidOperationException($"{page}: lease returned twice");
        page.LeaseCount--;
        OutstandingLeases--;
        FreeIfUnused(page);
    }

    private void Pin(CachePage page) => page.LeaseCount++;

    private void Unpin(CachePage page)
    {
        page.LeaseCount--;
        FreeIfUnused(page);
    }

    // ---- waiting on pages ----

    /// <summary>Parks the caller until the page's read or writeback ends; returns that I/O's status.</summary>
    private async ValueTask<Errno> WaitOnPageAsync(CachePage page)
    {
        if (!_freeWaiters.TryPop(out PageWaiter? waiter))
            waiter = new PageWaiter(_simulation);
        waiter.Completion.Reset();
        waiter.Next = page.Waiters;
        page.Waiters = waiter;
        Errno status = await waiter.Completion.Task;
        _freeWaiters.Push(waiter);
        return status;
    }

    private static void WakeWaiters(CachePage page, Errno status)
    {
        PageWaiter? waiter = page.Waiters;
        page.Waiters = null;
        while (waiter is not null)
        {
            PageWaiter next = waiter.Next!;
            waiter.Next = null;
            waiter.Completion.SetResult(status);
            waiter = next;
        }
    }

    // ---- batches ----

    private PageBatch RentBatch(AddressSpace space, bool isWrite, BioFlags flags, int processId)
    {
        if (!_freeBatches.TryPop(out PageBatch? batch))
            batch = new PageBatch(this, Options.MaxBatchPages);
        batch.Start(space, isWrite, flags, processId);
        return batch;
    }

    private void SubmitOrReturn(PageBatch batch)
    {
        if (batch.Count == 0)
        {
            batch.Clear();
            _freeBatches.Push(batch);
            return;
        }
        if (batch.IsWrite)
            Statistics.WriteBatches++;
        else
            Statistics.ReadBatches++;
        batch.Submit();
    }

    /// <summary>The end of a batch's I/O (end_page_read / end_page_writeback for each page).</summary>
    internal void EndBatch(PageBatch batch, Errno status)
    {
        AddressSpace space = batch.Space;
        foreach (CachePage page in batch.Pages)
        {
            if (batch.IsWrite)
            {
                page.Clear(PageFlags.Writeback);
                space.WritebackPages--;
                WritebackPages--;
                if (!page.Is(PageFlags.Dirty))
                    space.WritebackSet.Remove(page);
                if (status != Errno.None)
                {
                    Statistics.WriteErrors++;
                    if (space.PendingWriteError == Errno.None)
                        space.PendingWriteError = status;
                }
            }
            else
            {
                page.Clear(PageFlags.Locked);
                if (status == Errno.None)
                {
                    page.Set(PageFlags.Uptodate);
                    page.Clear(PageFlags.Error);
                }
                else
                {
                    page.Set(PageFlags.Error);
                    page.Clear(PageFlags.ReadAheadMarker);
                    page.LastError = status;
                    Statistics.ReadErrors++;
                }
            }
            WakeWaiters(page, status);
            FreeIfUnused(page);
        }
        batch.Clear();
        _freeBatches.Push(batch);
        if (WritebackPages == 0 || !OverDirtyLimit)
            WakeThrottledWriters();
    }
}
