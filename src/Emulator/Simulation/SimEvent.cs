namespace Hardware.Emulator.Simulation;

/// <summary>One entry of the event queue. Ordered by (Time, Sequence): ties fire in scheduling order.</summary>
internal struct SimEvent
{
    public long Time;
    public long Sequence;
    public ISimEventHandler? Handler;
    public long Argument;
    public Action<object?>? Callback;
    public object? State;

    public readonly bool FiresBefore(in SimEvent other) =>
        Time < other.Time || (Time == other.Time && Sequence < other.Sequence);
}
