using System.Runtime.CompilerServices;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Cache;

// Writeback in virtual time, after Linux's flusher: while anything is dirty a timer wakes every
// dirty_writeback_centisecs and writes pages dirty for longer than dirty_expire_centisecs; passing
// dirty_background_ratio starts background writeback at once; a writer past dirty_ratio waits for writeback.
public sealed partial class PageCache
{
    private readonly SimTimer _flusher;
    private readonly List<SimCompletion<Errno>> _throttled = [];
    private readonly Stack<SimCompletion<Errno>> _freeThrottle = new();
    private bool _backgroundPosted;

    public int BackgroundThresholdPages => (int)((long)Pool.LimitPages * Options.Writeback.DirtyBackgroundRatioPercent / 100);

    public int DirtyThresholdPages => Math.Max(1, (int)((long)Pool.LimitPages * Options.Writeback.DirtyRatioPercent / 100));

    /// <summary>Dirty plus under writeback has reached dirty_ratio: writers wait.</summary>
    public bool OverDirtyLimit => DirtyPages + WritebackPages > DirtyThresholdPages;

    private void OnPageDirtied()
    {
        if (!_flusher.IsArmed && Options.Writeback.DirtyWritebackCentisecs > 0)
            _flusher.Arm(Options.Writeback.WritebackIntervalNs);
        if (DirtyPages > BackgroundThresholdPages && !_backgroundPosted)
        {
            _backgroundPosted = true;
            _simulation.Post(static state => ((PageCache)state!).RunBackgroundWriteback(), this);
        }
    }

    /// <summary>The periodic flusher (wb_workfn's kupdate pass): write back what has expired, re-arm while dirty.</summary>
    private void OnFlusherTimer()
    {
        long expiredBefore = _simulation.Now - Options.Writeback.ExpireNs;
        int started = 0;
        for (int i = 0; i < _spaces.Count; i++)
        {
            if (_spaces[i].DirtyPages > 0)
                started += StartWriteback(_spaces[i], expiredBefore, BioFlags.None, Options.Writeback.FlusherProcessId, int.MaxValue);
        }
        if (started > 0)
            Statistics.PeriodicWritebacks++;
        if (DirtyPages > BackgroundThresholdPages)
            RunBackgroundWriteback();
        if (DirtyPages > 0)
            _flusher.Arm(Options.Writeback.WritebackIntervalNs);
    }

    /// <summary>
    /// MIN_WRITEBACK_PAGES: the least a background pass writes of one file before moving on (4 MiB). Linux sizes the
    /// chunk from the device's write bandwidth too, never below this.
    /// </summary>
    private const int MinWritebackPages = 1024;

    /// <summary>
    /// Background writeback (wb_writeback for_background): while the dirty pages are over the background threshold,
    /// each space with dirty pages in turn gets a chunk of <see cref="MinWritebackPages"/> started, from where its
    /// last background chunk stopped (range_cyclic from writeback_index). The writer that kicked it goes on
    /// dirtying until the next kick, so writeback comes in sorted 4 MiB chunks rather than page by page.
    /// </summary>
    private void RunBackgroundWriteback()
    {
        _backgroundPosted = false;
        if (DirtyPages <= BackgroundThresholdPages)
            return;
        Statistics.BackgroundWritebacks++;
        bool progress = true;
        while (progress && DirtyPages > BackgroundThresholdPages)
        {
            progress = false;
            for (int i = 0; i < _spaces.Count && DirtyPages > BackgroundThresholdPages; i++)
            {
                if (_spaces[i].DirtyPages > 0
                    && StartWriteback(_spaces[i], long.MaxValue, BioFlags.None, Options.Writeback.FlusherProcessId, MinWritebackPages, cyclic: true) > 0)
                    progress = true;
            }
        }
    }

    /// <summary>
    /// Starts writing dirty pages of <paramref name="space"/> dirtied at or before <paramref name="dirtiedBefore"/>
    /// (at most <paramref name="maxPages"/>, in index order, in runs of consecutive pages); pages already under
    /// writeback are left for the next pass. From index 0, or with <paramref name="cyclic"/> from the space's
    /// writeback index on and round to the start (range_cyclic), leaving the index after the last page started.
    /// Returns how many pages it started.
    /// </summary>
    private int StartWriteback(AddressSpace space, long dirtiedBefore, BioFlags flags, int processId, int maxPages, bool cyclic = false)
    {
        long from = cyclic ? space.WritebackIndex : 0;
        var pass = new WritebackPass(space, dirtiedBefore, maxPages, RentBatch(space, isWrite: true, flags, processId));
        StartRange(ref pass, from, long.MaxValue);
        if (from > 0 && pass.Started < maxPages)
            StartRange(ref pass, 0, from);
        SubmitOrReturn(pass.Batch);
        if (cyclic && pass.Started > 0)
            space.WritebackIndex = pass.LastIndex + 1;
        return pass.Started;
    }

    /// <summary>One writeback pass over a space: its limits, what it started so far and the batch it is filling.</summary>
    private struct WritebackPass(AddressSpace space, long dirtiedBefore, int maxPages, PageBatch batch)
    {
        public readonly AddressSpace Space = space;
        public readonly long DirtiedBefore = dirtiedBefore;
        public readonly int MaxPages = maxPages;
        public PageBatch Batch = batch;
        public int Started;
        public long LastIndex;
    }

    /// <summary>Starts the eligible dirty pages with index in [<paramref name="fromIndex"/>, <paramref name="toIndex"/>).</summary>
    private void StartRange(ref WritebackPass pass, long fromIndex, long toIndex)
    {
        AddressSpace space = pass.Space;
        WritebackPageSet pages = space.WritebackSet;
        for (int position = pages.PositionOf(fromIndex); position < pages.Count && pass.Started < pass.MaxPages; position++)
        {
            if (!pages.IsDirtyAt(position))
                continue;
            CachePage page = pages[position];
            if (page.Index >= toIndex)
                break;
            if (page.Is(PageFlags.Writeback) || page.Is(PageFlags.Locked) || page.DirtiedAt > pass.DirtiedBefore)
                continue;
            PageBatch batch = pass.Batch;
            if (batch.IsFull || (batch.Count > 0 && page.Index != batch[batch.Count - 1].Index + 1))
            {
                SubmitOrReturn(batch);
                pass.Batch = batch = RentBatch(space, isWrite: true, batch.Flags, batch.ProcessId);
                // A batch whose I/O ended at once (a refused bio, memory-backed pages) left the set: this page moved.
                position = pages.PositionOf(page.Index);
            }
            page.Clear(PageFlags.Dirty);
            pages.MarkCleanAt(position);
            page.Set(PageFlags.Writeback);
            space.DirtyPages--;
            DirtyPages--;
            space.WritebackPages++;
            WritebackPages++;
            batch.Add(page);
            Statistics.PagesWritten++;
            pass.Started++;
            pass.LastIndex = page.Index;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask BalanceDirtyPagesAsync(int processId)
    {
        while (OverDirtyLimit)
        {
            Statistics.ThrottledWrites++;
            RunBackgroundWriteback();
            if (WritebackPages == 0)
                return;
            if (!_freeThrottle.TryPop(out SimCompletion<Errno>? wait))
                wait = new SimCompletion<Errno>(_simulation);
            wait.Reset();
            _throttled.Add(wait);
            await wait.Task;
            _freeThrottle.Push(wait);
        }
    }

    private void WakeThrottledWriters()
    {
        for (int i = 0; i < _throttled.Count; i++)
            _throttled[i].SetResult(Errno.None);
        _throttled.Clear();
    }

    /// <summary>
    /// fsync: writes every dirty page of <paramref name="space"/>, waits for all its writeback, then sends a cache
    /// flush so the data is durable. Returns the first write or flush error since the last fsync (and clears it).
    /// </summary>
    public async ValueTask<Errno> FsyncAsync(AddressSpace space, int processId = 0)
    {
        CheckSpace(space);
        Errno error = await WriteAndWaitAsync(space, 0, long.MaxValue, processId);
        Errno flush = await space.Operations.FlushAsync(processId);
        Statistics.Flushes++;
        return error != Errno.None ? error : flush;
    }

    /// <summary>sync(2): writes back every address space, then flushes each distinct device once.</summary>
    public async ValueTask<Errno> SyncAllAsync(int processId = 0)
    {
        Errno first = Errno.None;
        var flushed = new List<IAddressSpaceOperations>();
        foreach (AddressSpace space in _spaces.ToArray())
        {
            Errno error = await WriteAndWaitAsync(space, 0, long.MaxValue, processId);
            if (first == Errno.None)
                first = error;
        }
        foreach (AddressSpace space in _spaces)
        {
            if (flushed.Contains(space.Operations))
                continue;
            flushed.Add(space.Operations);
            Errno flush = await space.Operations.FlushAsync(processId);
            Statistics.Flushes++;
            if (first == Errno.None)
                first = flush;
        }
        return first;
    }

    /// <summary>filemap_write_and_wait_range: pages [firstIndex, lastIndex] clean and not under writeback; the pending error, cleared.</summary>
    private async ValueTask<Errno> WriteAndWaitAsync(AddressSpace space, long firstIndex, long lastIndex, int processId)
    {
        // Without dirty pages or pages under writeback nothing can be busy: O_DIRECT on a clean mapping (the usual
        // case) does nothing here; otherwise the writeback set finds the first busy page of the range.
        while (space.DirtyPages > 0 || space.WritebackPages > 0)
        {
            if (space.DirtyPages > 0)
                StartWriteback(space, long.MaxValue, BioFlags.Sync, processId, int.MaxValue);
            if (space.WritebackSet.FirstIn(firstIndex, lastIndex) is not { } busy)
                break;
            Pin(busy);
            while (busy.Is(PageFlags.Writeback))
                await WaitOnPageAsync(busy);
            Unpin(busy);
        }
        Errno error = space.PendingWriteError;
        space.PendingWriteError = Errno.None;
        return error;
    }
}
