namespace Hardware.Emulator.Simulation;

/// <summary>A running hash (and optionally the list) of fired events, to compare two runs.</summary>
public sealed class EventLog
{
    private readonly List<EventLogEntry>? _entries;

    internal EventLog(bool keepEntries)
    {
        _entries = keepEntries ? new List<EventLogEntry>() : null;
    }

    public ulong Hash { get; private set; } = StableHash.Offset;

    public long Count { get; private set; }

    public IReadOnlyList<EventLogEntry> Entries => _entries ?? (IReadOnlyList<EventLogEntry>)Array.Empty<EventLogEntry>();

    internal void Record(in SimEvent e)
    {
        string target = e.Handler?.GetType().FullName ?? e.Callback!.Method.DeclaringType?.FullName + "." + e.Callback.Method.Name;
        ulong h = Hash;
        h = StableHash.Add(h, e.Time);
        h = StableHash.Add(h, e.Sequence);
        h = StableHash.Add(h, e.Argument);
        h = StableHash.Add(h, (long)StableHash.Fnv1a64(target));
        Hash = h;
        Count++;
        _entries?.Add(new EventLogEntry(e.Time, e.Sequence, target, e.Argument));
    }
}

public readonly record struct EventLogEntry(long Time, long Sequence, string Target, long Argument);
