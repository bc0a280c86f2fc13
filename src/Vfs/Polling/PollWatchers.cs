namespace Hardware.Vfs.Polling;

/// <summary>
/// The list of watchers of one object (Linux's wait_queue_head for poll). A change notifies every watcher in
/// subscription order; spurious notifications are allowed, watchers recheck readiness.
/// </summary>
public sealed class PollWatchers
{
    private readonly List<IPollWatcher> _watchers = new();

    public int Count => _watchers.Count;

    public void Subscribe(IPollWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        _watchers.Add(watcher);
    }

    public void Unsubscribe(IPollWatcher watcher) => _watchers.Remove(watcher);

    public void Notify()
    {
        // Index loop: a watcher may unsubscribe itself from inside the notification.
        for (int i = 0; i < _watchers.Count; i++)
            _watchers[i].OnReadinessChanged();
    }
}
