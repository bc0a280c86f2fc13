namespace Hardware.Testing;

/// <summary>
/// Measures what the current thread allocates over a steady-state window, as the fewest bytes of several windows.
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> is exact for the thread's own allocations, but a garbage
/// collection started by another thread of the test host (the runner's message bus, its pipe to dotnet test) can
/// add up to one allocation quantum to the window it falls in. A hot path that allocates per operation does so in
/// every window, so the least of several windows still catches it, while a collection skews at most one.
/// </summary>
public sealed class AllocationMeter
{
    private long _start;

    /// <summary>The fewest bytes allocated in one window so far; <see cref="long.MaxValue"/> before the first.</summary>
    public long Least { get; private set; } = long.MaxValue;

    /// <summary>How many windows have been measured.</summary>
    public int Windows { get; private set; }

    /// <summary>Opens a window; call <see cref="End"/> on the same thread to close it.</summary>
    public void Begin() => _start = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>Closes the window opened by <see cref="Begin"/> and keeps its bytes if they are the fewest yet.</summary>
    public void End()
    {
        Least = Math.Min(Least, GC.GetAllocatedBytesForCurrentThread() - _start);
        Windows++;
    }

    /// <summary>Runs <paramref name="window"/> <paramref name="windows"/> times and returns the fewest bytes one run allocated.</summary>
    public static long LeastOf(int windows, Action window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 2);
        var meter = new AllocationMeter();
        for (int i = 0; i < windows; i++)
        {
            meter.Begin();
            window();
            meter.End();
        }
        return meter.Least;
    }
}
