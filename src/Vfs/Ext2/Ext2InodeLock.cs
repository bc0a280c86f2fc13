using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// Serialises changes to one inode's block map (Linux ext2's truncate_mutex): two writebacks of the same file, or a
/// writeback and a truncate, must not both find a pointer empty and allocate behind each other's back. A FIFO of
/// simulated waiters; the lock passes straight to the next waiter on exit.
/// </summary>
internal sealed class Ext2InodeLock
{
    private readonly Queue<SimCompletion<Errno>> _waiters = new();
    private bool _held;

    /// <summary>Someone holds the lock (or it is passing to a waiter).</summary>
    public bool IsHeld => _held;

    public ValueTask EnterAsync(Simulation simulation)
    {
        if (!_held)
        {
            _held = true;
            return ValueTask.CompletedTask;
        }
        var waiter = new SimCompletion<Errno>(simulation);
        _waiters.Enqueue(waiter);
        return waiter.WaitAsync();
    }

    public void Exit()
    {
        if (_waiters.TryDequeue(out SimCompletion<Errno>? next))
            next.SetResult(Errno.None);
        else
            _held = false;
    }
}
