namespace Hardware.Vfs.Cache;

/// <summary>State bits of a cached page (Linux's PG_* flags).</summary>
[Flags]
public enum PageFlags : ushort
{
    None = 0,
    /// <summary>The page holds the current file data (PG_uptodate).</summary>
    Uptodate = 1 << 0,
    /// <summary>Changed in memory, not yet written back (PG_dirty).</summary>
    Dirty = 1 << 1,
    /// <summary>A write of the page to the device is in flight (PG_writeback).</summary>
    Writeback = 1 << 2,
    /// <summary>A read into the page is in flight; readers wait for it (PG_locked).</summary>
    Locked = 1 << 3,
    /// <summary>Accessed since it was last scanned: second chance (PG_referenced).</summary>
    Referenced = 1 << 4,
    /// <summary>On the active list (PG_active).</summary>
    Active = 1 << 5,
    /// <summary>The read-ahead marker: a reader reaching it starts the next asynchronous window (PG_readahead).</summary>
    ReadAheadMarker = 1 << 6,
    /// <summary>The last read of the page failed (PG_error).</summary>
    Error = 1 << 7,
}
