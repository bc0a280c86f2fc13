namespace Hardware.Vfs.Polling;

/// <summary>Told when a watched object's readiness may have changed (a poll table entry, a socket forwarding its pipes).</summary>
public interface IPollWatcher
{
    /// <summary>Called from the event that changed the state; must not block or run the waiter inline.</summary>
    void OnReadinessChanged();
}
