namespace Hardware.Emulator.Simulation;

/// <summary>
/// A re-armable one-shot timer (a command timeout, a flusher period). Cancelling or re-arming bumps a generation,
/// so an already queued expiry of an older arming is recognised and ignored when it fires.
/// </summary>
public sealed class SimTimer : ISimEventHandler
{
    private readonly Simulation _simulation;
    private readonly Action _onExpired;
    private long _generation;

    public SimTimer(Simulation simulation, Action onExpired)
    {
        _simulation = simulation;
        _onExpired = onExpired;
    }

    public bool IsArmed { get; private set; }

    public long ExpiresAt { get; private set; }

    public void ArmAt(long time)
    {
        _generation++;
        IsArmed = true;
        ExpiresAt = time;
        _simulation.ScheduleAt(time, this, _generation);
    }

    public void Arm(long delay) => ArmAt(_simulation.Now + delay);

    public void Cancel()
    {
        _generation++;
        IsArmed = false;
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        if (argument != _generation || !IsArmed)
            return;
        IsArmed = false;
        _onExpired();
    }
}
