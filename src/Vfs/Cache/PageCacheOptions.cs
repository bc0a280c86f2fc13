namespace Hardware.Vfs.Cache;

/// <summary>Tunables of the page cache; defaults are Linux's, with the unit in each name.</summary>
public sealed record PageCacheOptions
{
    /// <summary>Largest read-ahead window per open file (read_ahead_kb: 128 KiB). 0 turns read-ahead off.</summary>
    public int ReadAheadMaxBytes { get; init; } = 128 * 1024;

    /// <summary>Most pages in one read or writeback batch (one bio).</summary>
    public int MaxBatchPages { get; init; } = 256;

    public WritebackOptions Writeback { get; init; } = new();

    internal int ReadAheadMaxPages => ReadAheadMaxBytes / CachePage.Size;

    internal void Validate()
    {
        if (ReadAheadMaxBytes < 0 || ReadAheadMaxBytes % CachePage.Size != 0)
            throw new ArgumentOutOfRangeException(nameof(ReadAheadMaxBytes), ReadAheadMaxBytes, $"read-ahead is a non-negative multiple of {CachePage.Size} bytes");
        if (MaxBatchPages < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBatchPages), MaxBatchPages, "a batch holds at least one page");
        Writeback.Validate();
    }
}

/// <summary>The vm.dirty_* settings of the writeback flusher, as in Linux, with the unit in each name.</summary>
public sealed record WritebackOptions
{
    /// <summary>How often the flusher wakes while anything is dirty (dirty_writeback_centisecs: 5 s). 0 = never.</summary>
    public int DirtyWritebackCentisecs { get; init; } = 500;

    /// <summary>Age at which dirty data is written by the periodic flusher (dirty_expire_centisecs: 30 s).</summary>
    public int DirtyExpireCentisecs { get; init; } = 3000;

    /// <summary>Dirty share of the cache at which background writeback starts (dirty_background_ratio: 10 %).</summary>
    public int DirtyBackgroundRatioPercent { get; init; } = 10;

    /// <summary>Dirty share of the cache at which a writer is throttled until writeback catches up (dirty_ratio: 20 %).</summary>
    public int DirtyRatioPercent { get; init; } = 20;

    /// <summary>Process id the flusher's bios carry in the block trace.</summary>
    public int FlusherProcessId { get; init; } = 2;

    public long WritebackIntervalNs => DirtyWritebackCentisecs * 10_000_000L;

    public long ExpireNs => DirtyExpireCentisecs * 10_000_000L;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(DirtyWritebackCentisecs);
        ArgumentOutOfRangeException.ThrowIfNegative(DirtyExpireCentisecs);
        if (DirtyBackgroundRatioPercent is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(DirtyBackgroundRatioPercent), DirtyBackgroundRatioPercent, "a percentage from 1 to 100");
        if (DirtyRatioPercent < DirtyBackgroundRatioPercent || DirtyRatioPercent > 100)
            throw new ArgumentOutOfRangeException(nameof(DirtyRatioPercent), DirtyRatioPercent, $"a percentage from dirty_background_ratio ({DirtyBackgroundRatioPercent}) to 100");
    }
}
