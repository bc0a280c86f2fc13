namespace Hardware.Vfs.Polling;

/// <summary>
/// The outcome of one <see cref="Poller.PollAsync"/>: how many entries are ready and each entry's revents. It views
/// the poller's own array, so it is valid until that poller polls again.
/// </summary>
public readonly struct PollResult
{
    private readonly PollEvents[]? _revents;

    internal PollResult(PollEvents[] revents, int entries, int readyCount)
    {
        _revents = revents;
        Entries = entries;
        ReadyCount = readyCount;
    }

    /// <summary>Number of entries with a non-zero revents (poll's return value); 0 means the timeout expired.</summary>
    public int ReadyCount { get; }

    public int Entries { get; }

    public bool TimedOut => ReadyCount == 0;

    /// <summary>revents of entry <paramref name="index"/>: the requested events that hold, plus POLLERR/POLLHUP/POLLNVAL.</summary>
    public PollEvents this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Entries);
            return _revents![index];
        }
    }
}
