using Hardware.Emulator.Collections;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Polling;

/// <summary>
/// Simulated processes sleeping on one condition (a pipe's readers, its writers, a listener's accept queue).
/// A sleeper keeps its place from <see cref="Join"/> to <see cref="Leave"/>, so however often it is woken and finds
/// the condition still false, wake-ups reach sleepers in arrival (FIFO) order. Waking posts each sleeper's
/// continuation as a simulation event at the current time, never inline. Nodes are pooled: no allocation per
/// sleep in steady state.
/// </summary>
public sealed class WaitQueue
{
    private readonly Simulation _simulation;
    private readonly Stack<Sleeper> _pool = new();
    private readonly SleeperList _sleepers = new();

    public WaitQueue(Simulation simulation)
    {
        _simulation = simulation;
    }

    /// <summary>Number of processes currently queued.</summary>
    public int Count => _sleepers.Count;

    /// <summary>Times a process went to sleep here (a statistic).</summary>
    public long Sleeps { get; private set; }

    /// <summary>Enters the queue at the tail; pair with <see cref="Leave"/> in a finally.</summary>
    public Sleeper Join()
    {
        Sleeper sleeper = _pool.TryPop(out var pooled) ? pooled : new Sleeper(_simulation);
        _sleepers.AddLast(sleeper);
        return sleeper;
    }

    /// <summary>Sleeps until the next <see cref="WakeAll"/>; the caller rechecks its condition afterwards.</summary>
    public ValueTask SleepAsync(Sleeper sleeper)
    {
        sleeper.Completion.Reset();
        sleeper.Signalled = false;
        Sleeps++;
        return sleeper.Completion.WaitAsync();
    }

    public void Leave(Sleeper? sleeper)
    {
        if (sleeper is null)
            return;
        _sleepers.Remove(sleeper);
        _pool.Push(sleeper);
    }

    /// <summary>Wakes every sleeper, head first, each as its own event at the current time.</summary>
    public void WakeAll()
    {
        for (Sleeper? s = _sleepers.First; s is not null; s = SleeperList.Next(s))
        {
            if (s.Signalled || s.Completion.IsCompleted)
                continue;
            s.Signalled = true;
            s.Completion.SetResult(true);
        }
    }

    /// <summary>One queued process; obtained from <see cref="Join"/>.</summary>
    public sealed class Sleeper
    {
        internal Sleeper(Simulation simulation)
        {
            Completion = new SimCompletion<bool>(simulation);
            // A fresh completion counts as already woken until the first SleepAsync resets it.
            Signalled = true;
        }

        internal SimCompletion<bool> Completion { get; }

        internal bool Signalled { get; set; }

        internal ListLinks<Sleeper> Links;
    }

    private sealed class SleeperList : IntrusiveList<Sleeper, SleeperList.SleeperLinks>
    {
        public struct SleeperLinks : IListLinksAccessor<Sleeper>
        {
            public static ref ListLinks<Sleeper> Links(Sleeper item) => ref item.Links;
        }
    }
}
