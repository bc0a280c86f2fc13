namespace Hardware.Emulator.Simulation;

/// <summary>A fired (or due-now) event. Ordered by (Time, Sequence): ties fire in scheduling order.</summary>
internal struct SimEvent
{
    public long Time;
    public long Sequence;
    public ISimEventHandler? Handler;
    public long Argument;
    public Action<object?>? Callback;
    public object? State;
}
