namespace Hardware.Emulator.Platform;

public enum DeviceLogLevel
{
    Info,
    Warning,
    Error,
}

public readonly record struct DeviceLogEntry(long Time, DeviceLogLevel Level, string Source, string Message)
{
    public override string ToString() => $"[{Time / 1e9:F9}] {Level.ToString().ToLowerInvariant()} {Source}: {Message}";
}

/// <summary>
/// The machine's log of what devices noticed (an access to an unknown register, a DMA bus error, an interrupt
/// nobody handled), stamped with virtual time. Bounded: the oldest entries are dropped past the capacity, and
/// <see cref="Dropped"/> counts them.
/// </summary>
public sealed class DeviceLog
{
    private readonly Simulation.Simulation _simulation;
    private readonly Queue<DeviceLogEntry> _entries = new();
    private readonly int _capacity;

    public DeviceLog(Simulation.Simulation simulation, int capacity = 10_000)
    {
        _simulation = simulation;
        _capacity = capacity;
    }

    public IReadOnlyCollection<DeviceLogEntry> Entries => _entries;

    public long Dropped { get; private set; }

    /// <summary>Called for every entry as it is written (for a console or a test's output).</summary>
    public event Action<DeviceLogEntry>? Written;

    public void Info(string source, string message) => Write(DeviceLogLevel.Info, source, message);

    public void Warning(string source, string message) => Write(DeviceLogLevel.Warning, source, message);

    public void Error(string source, string message) => Write(DeviceLogLevel.Error, source, message);

    private void Write(DeviceLogLevel level, string source, string message)
    {
        var entry = new DeviceLogEntry(_simulation.Now, level, source, message);
        if (_entries.Count == _capacity)
        {
            _entries.Dequeue();
            Dropped++;
        }
        _entries.Enqueue(entry);
        Written?.Invoke(entry);
    }
}
