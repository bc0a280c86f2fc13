namespace Hardware.BlockLayer.Tracing;

/// <summary>A whole trace as <see cref="BlktraceReader.TryReadFile"/> returns it.</summary>
public sealed record BlktraceLog(
    string Path,
    IReadOnlyList<BlkIoTrace> Records,
    IReadOnlyList<BlockTraceEvent> Events,
    IReadOnlyDictionary<int, string> ProcessNames);
