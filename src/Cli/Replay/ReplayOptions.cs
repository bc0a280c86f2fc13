namespace Hardware.Cli.Replay;

/// <summary>How a trace is replayed.</summary>
public enum ReplayMode
{
    /// <summary>Each I/O is submitted at its trace time (divided by the speed), whatever has completed.</summary>
    Open,

    /// <summary>A fixed number of I/Os in flight: the trace's I/Os in order, the next as soon as one completes.</summary>
    Closed,
}

/// <summary>
/// A replay's settings: the mode; the depth (closed loop: the I/Os kept in flight, at least 1; open loop: a cap on
/// them, 0 for none, beyond which submissions wait and fall behind schedule); the speed the trace's clock runs at
/// (2 halves the gaps between I/Os); and the name the report gives the one job.
/// </summary>
public sealed record ReplayOptions
{
    public ReplayMode Mode { get; init; } = ReplayMode.Open;
    public int Depth { get; init; }
    public double Speed { get; init; } = 1;
    public string Name { get; init; } = "replay";
}
