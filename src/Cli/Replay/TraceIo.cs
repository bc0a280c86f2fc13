namespace Hardware.Cli.Replay;

/// <summary>
/// One I/O of a recorded trace, as replay issues it: when (nanoseconds since the trace's earliest I/O), which way,
/// where on the device (bytes from its start) and how much.
/// </summary>
public readonly record struct TraceIo(long TimestampNs, bool IsWrite, long OffsetBytes, int Bytes);
