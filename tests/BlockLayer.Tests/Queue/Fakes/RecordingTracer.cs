using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Queue.Fakes;

/// <summary>Keeps every trace event, for assertions on what the queue reported and in which order.</summary>
public sealed class RecordingTracer : IBlockTracer
{
    public List<BlockTraceEvent> Events { get; } = [];

    public Dictionary<int, string> Names { get; } = [];

    public void Trace(in BlockTraceEvent e) => Events.Add(e);

    public void NameProcess(int processId, string name, long time) => Names[processId] = name;

    public int Count(BlockTraceAction action) => Events.Count(e => e.Action == action);

    /// <summary>The action letters blkparse prints (Q, G, P, M, F, I, D, C, R, U, UT, X), in order.</summary>
    public string Letters() => string.Join(" ", Events.Select(e => Letter(e.Action)));

    public static string Letter(BlockTraceAction action) => BlktraceActionCodes.Letters(action);
}
