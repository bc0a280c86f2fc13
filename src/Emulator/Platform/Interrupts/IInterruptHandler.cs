namespace Hardware.Emulator.Platform;

/// <summary>A driver's interrupt service routine, registered for a vector with the interrupt controller.</summary>
public interface IInterruptHandler
{
    /// <summary>Runs as a simulation event; for a level-triggered line the handler must quiet the device before returning.</summary>
    void HandleInterrupt(int vector);
}
