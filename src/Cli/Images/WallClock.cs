namespace Hardware.Cli.Images;

/// <summary>
/// The real time the emulated VFS starts at (VfsOptions.RealTimeAtStartNs): the host's clock, read once here at the
/// tool's edge, or SOURCE_DATE_EPOCH when set so that images can be made reproducibly.
/// </summary>
public static class WallClock
{
    public static long StartNs()
    {
        if (Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { } epoch && long.TryParse(epoch, out long seconds) && seconds >= 0)
            return seconds * 1_000_000_000L;
        return (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
    }
}
