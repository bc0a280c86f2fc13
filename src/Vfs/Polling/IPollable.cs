namespace Hardware.Vfs.Polling;

/// <summary>
/// A kernel object behind a file descriptor whose readiness poll can report (the file_operations->poll of a pipe end
/// or a socket). Readiness is computed on demand; watchers are told of changes so a poller can rescan.
/// </summary>
public interface IPollable
{
    /// <summary>The events that hold now (POLLNVAL once the object is closed).</summary>
    PollEvents Readiness { get; }

    /// <summary>Adds a watcher told of every possible change until it unsubscribes; a watcher may be added more than once.</summary>
    void Subscribe(IPollWatcher watcher);

    /// <summary>Removes one subscription of <paramref name="watcher"/>.</summary>
    void Unsubscribe(IPollWatcher watcher);
}
