namespace Hardware.Vfs.Cache;

/// <summary>Counters of the page cache (in the spirit of /proc/vmstat), for tests and studies.</summary>
public sealed class PageCacheStatistics
{
    public long Hits { get; internal set; }
    public long Misses { get; internal set; }
    public long PagesRead { get; internal set; }
    public long ReadBatches { get; internal set; }
    public long ReadAheadPages { get; internal set; }
    public long AsyncReadAheadWindows { get; internal set; }
    public long PagesWritten { get; internal set; }
    public long WriteBatches { get; internal set; }
    public long PeriodicWritebacks { get; internal set; }
    public long BackgroundWritebacks { get; internal set; }
    public long ThrottledWrites { get; internal set; }
    public long Evictions { get; internal set; }
    public long Activations { get; internal set; }
    public long Flushes { get; internal set; }
    public long DirectIos { get; internal set; }
    public long ReadErrors { get; internal set; }
    public long WriteErrors { get; internal set; }
}
