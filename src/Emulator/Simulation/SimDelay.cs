namespace Hardware.Emulator.Simulation;

/// <summary>A pooled timer wake-up behind <see cref="Simulation.Delay"/>; returns itself to the pool once awaited.</summary>
internal sealed class SimDelay : ISimEventHandler, System.Threading.Tasks.Sources.IValueTaskSource
{
    private readonly SimCompletion<bool> _completion;
    private readonly Simulation _simulation;

    private SimDelay(Simulation simulation)
    {
        _simulation = simulation;
        _completion = new SimCompletion<bool>(simulation);
    }

    public long Version => _completion.Version;

    public static SimDelay Rent(Simulation simulation)
    {
        SimDelay delay = simulation.DelayPool.TryPop(out var pooled) ? pooled : new SimDelay(simulation);
        delay._completion.Reset();
        return delay;
    }

    public ValueTask AsValueTask() => new(this, _completion.Version);

    public void OnEvent(long argument)
    {
        if (argument == _completion.Version)
            _completion.SetResultFromWakeUpEvent(true);
    }

    public System.Threading.Tasks.Sources.ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token,
        System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    public void GetResult(short token)
    {
        _completion.GetResult(token);
        _simulation.DelayPool.Push(this);
    }
}
