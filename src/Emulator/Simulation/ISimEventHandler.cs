namespace Hardware.Emulator.Simulation;

/// <summary>
/// Receives events scheduled on a <see cref="Simulation"/>. Long-lived components (ports, drives, timers)
/// implement this instead of passing closures, so scheduling an event allocates nothing.
/// </summary>
public interface ISimEventHandler
{
    /// <param name="argument">The value given when the event was scheduled (a tag, a generation, ...).</param>
    void OnEvent(long argument);
}
