namespace Hardware.Vfs.Cache;

/// <summary>
/// Per-open-file read-ahead state (Linux's struct file_ra_state): the current window [Start, Start+Size), the
/// asynchronous tail of AsyncSize pages whose first page carries the marker, and where the last read ended.
/// </summary>
public sealed class ReadAheadState
{
    public ReadAheadState(int maxPages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPages);
        MaxPages = maxPages;
    }

    /// <summary>Largest window for this file (ra_pages); 0 is read-ahead off.</summary>
    public int MaxPages { get; set; }

    public long Start { get; internal set; }

    public int Size { get; internal set; }

    public int AsyncSize { get; internal set; }

    /// <summary>Byte position of the last byte the previous read returned, or -1 (prev_pos).</summary>
    public long PreviousPosition { get; internal set; } = -1;

    internal long PreviousIndex => PreviousPosition < 0 ? -1 : PreviousPosition >> CachePage.Shift;

    internal long MarkerIndex => Start + Size - AsyncSize;

    /// <summary>get_init_ra_size: the first window, a power of two grown from the request.</summary>
    internal static int InitialSize(int requestPages, int maxPages)
    {
        int size = (int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, requestPages)), int.MaxValue);
        if (size <= maxPages / 32)
            size *= 4;
        else if (size <= maxPages / 4)
            size *= 2;
        else
            size = maxPages;
        return Math.Min(size, maxPages);
    }

    /// <summary>get_next_ra_size: the ramp, quadrupling small windows and doubling larger ones up to the maximum.</summary>
    internal static int NextSize(int current, int maxPages)
    {
        if (current < maxPages / 16)
            return 4 * current;
        if (current <= maxPages / 2)
            return 2 * current;
        return maxPages;
    }

    public override string ToString() => $"ra window {Start}+{Size} async {AsyncSize} (max {MaxPages}), prev {PreviousPosition}";
}
