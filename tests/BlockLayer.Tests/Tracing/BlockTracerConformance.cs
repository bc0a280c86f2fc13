using Hardware.BlockLayer.Tracing;
using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Tracing;

/// <summary>
/// What every <see cref="IBlockTracer"/> must do: record each event the queue emits exactly once, keep process
/// names as a trace carries them, and allocate nothing per event once warmed up. One small subclass per tracer says
/// how to build it and how to read back what it recorded.
/// </summary>
public abstract class BlockTracerConformance
{
    private static readonly uint Sdb = BlktraceDevice.Make(8, 16);

    /// <summary>A tracer whose output can be read back by <see cref="Recorded"/>.</summary>
    protected abstract IBlockTracer CreateTracer();

    /// <summary>What the tracer recorded: each event's action, sector and size in order, and the process names.</summary>
    protected abstract (IReadOnlyList<(BlockTraceAction Action, long Sector, int Bytes)> Events, IReadOnlyDictionary<int, string> Names) Recorded(IBlockTracer tracer);

    /// <summary>A tracer writing to a sink that does not grow (so only the tracer's own allocations count).</summary>
    protected virtual IBlockTracer CreateSteadyStateTracer() => CreateTracer();

    [Fact]
    public void Every_event_the_queue_emits_is_recorded_once_in_order()
    {
        var workload = new SyntheticBlockWorkload();
        IBlockTracer tracer = CreateTracer();
        workload.Replay(tracer);
        BlockTraceEvent[] extra = RareEvents(workload.Events[^1].Time);
        foreach (BlockTraceEvent e in extra)
            tracer.Trace(e);

        var expected = workload.Events.Concat(extra).Select(Shape).ToList();
        Assert.Equal(expected, Recorded(tracer).Events);
    }

    [Fact]
    public void Process_names_are_kept_as_a_trace_carries_them()
    {
        IBlockTracer tracer = CreateTracer();
        tracer.NameProcess(41, "postgres: checkpointer", 0);
        tracer.NameProcess(42, "dd", 0);
        tracer.NameProcess(42, "dd", 5);
        tracer.Trace(new BlockTraceEvent(10, BlockTraceAction.Queue, BioOp.Write, BioFlags.None, 8, 4096, 41, Sdb));
        tracer.Trace(new BlockTraceEvent(11, BlockTraceAction.Queue, BioOp.Read, BioFlags.None, 16, 4096, 42, Sdb));

        IReadOnlyDictionary<int, string> names = Recorded(tracer).Names;
        Assert.Equal("postgres: check", names[41]);
        Assert.Equal("dd", names[42]);
    }

    [Fact]
    public void Tracing_allocates_nothing_per_event_in_steady_state()
    {
        var workload = new SyntheticBlockWorkload();
        BlockTraceEvent[] events = [.. workload.Events, .. RareEvents(workload.Events[^1].Time)];
        long span = events[^1].Time + 1;
        IBlockTracer tracer = CreateSteadyStateTracer();
        foreach ((int pid, string name) in SyntheticBlockWorkload.Processes)
            tracer.NameProcess(pid, name, 0);
        Replay(tracer, events, 0);

        int round = 0;
        long allocated = AllocationMeter.LeastOf(3, () => Replay(tracer, events, ++round * span));
        Assert.True(allocated == 0, $"{allocated} bytes allocated for {events.Length} events in the least of {round} rounds");
    }

    private static void Replay(IBlockTracer tracer, BlockTraceEvent[] events, long shift)
    {
        foreach (BlockTraceEvent e in events)
            tracer.Trace(e with { Time = e.Time + shift });
    }

    private static (BlockTraceAction, long, int) Shape(BlockTraceEvent e) => (e.Action, e.Sector, e.Bytes);

    /// <summary>Actions the workload does not use but a queue may: sleep on a request, split, timer unplug.</summary>
    private static BlockTraceEvent[] RareEvents(long after) =>
    [
        new(after + 1, BlockTraceAction.SleepRequest, BioOp.Write, BioFlags.Sync, 800, 4096, 77, Sdb),
        new(after + 2, BlockTraceAction.Split, BioOp.Write, BioFlags.Sync, 800, 65536, 77, Sdb),
        new(after + 3, BlockTraceAction.UnplugTimer, BioOp.Read, BioFlags.None, 0, 0, 77, Sdb, Depth: 2),
    ];
}

public sealed class BlktraceWriterConformanceTests : BlockTracerConformance
{
    private readonly MemoryStream _stream = new();

    protected override IBlockTracer CreateTracer() => new BlktraceWriter(_stream, "conformance", leaveOpen: true);

    protected override IBlockTracer CreateSteadyStateTracer() => new BlktraceWriter(Stream.Null, "steady");

    protected override (IReadOnlyList<(BlockTraceAction Action, long Sector, int Bytes)> Events, IReadOnlyDictionary<int, string> Names) Recorded(IBlockTracer tracer)
    {
        ((BlktraceWriter)tracer).Flush();
        _stream.Position = 0;
        using var reader = new BlktraceReader(_stream, "conformance", leaveOpen: true);
        var events = new List<(BlockTraceAction, long, int)>();
        while (reader.TryReadNext(out IoError? error))
        {
            Assert.Null(error);
            if (reader.TryGetEvent(out BlockTraceEvent e))
                events.Add((e.Action, e.Sector, e.Bytes));
        }

        return (events, reader.ProcessNames);
    }
}

public sealed class BlkparseTextWriterConformanceTests : BlockTracerConformance
{
    private readonly StringWriter _text = new();

    protected override IBlockTracer CreateTracer() => new BlkparseTextWriter(_text);

    protected override IBlockTracer CreateSteadyStateTracer() => new BlkparseTextWriter(new StreamWriter(Stream.Null));

    protected override (IReadOnlyList<(BlockTraceAction Action, long Sector, int Bytes)> Events, IReadOnlyDictionary<int, string> Names) Recorded(IBlockTracer tracer)
    {
        var events = new List<(BlockTraceAction, long, int)>();
        var names = new Dictionary<int, string>();
        foreach (string line in _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            BlkparseOracleTests.EventLine parsed = BlkparseOracleTests.EventLine.Parse(line);
            BlockTraceAction action = Enum.GetValues<BlockTraceAction>().First(a => BlktraceActionCodes.Letters(a) == parsed.Action);
            string[] words = parsed.Detail.Split(' ');
            (long sector, int bytes) = words is [var s, "+", var n, ..] ? (long.Parse(s), int.Parse(n) * 512)
                : words is [var split, "/", var rest, ..] ? (long.Parse(split), (int)(long.Parse(rest) - long.Parse(split)) * 512)
                : (0L, 0);
            events.Add((action, sector, bytes));
            int open = parsed.Detail.IndexOf('[');
            if (open >= 0 && action is not (BlockTraceAction.Complete or BlockTraceAction.Requeue))
                names[parsed.Pid] = parsed.Detail[(open + 1)..parsed.Detail.IndexOf(']', open)];
        }

        return (events, names);
    }
}

public sealed class MemoryTracerConformanceTests : BlockTracerConformance
{
    protected override IBlockTracer CreateTracer() => new MemoryTracer();

    protected override IBlockTracer CreateSteadyStateTracer() => new MemoryTracer(capacity: 256);

    protected override (IReadOnlyList<(BlockTraceAction Action, long Sector, int Bytes)> Events, IReadOnlyDictionary<int, string> Names) Recorded(IBlockTracer tracer)
    {
        var memory = (MemoryTracer)tracer;
        return (memory.ToArray().Select(e => (e.Action, e.Sector, e.Bytes)).ToList(), memory.ProcessNames);
    }
}

public sealed class FanOutTracerConformanceTests : BlockTracerConformance
{
    private readonly MemoryTracer _first = new();
    private readonly MemoryTracer _second = new();

    protected override IBlockTracer CreateTracer() => new FanOutTracer(_first, _second);

    protected override IBlockTracer CreateSteadyStateTracer() =>
        new FanOutTracer(new MemoryTracer(capacity: 64), new BlktraceWriter(Stream.Null, "steady"));

    protected override (IReadOnlyList<(BlockTraceAction Action, long Sector, int Bytes)> Events, IReadOnlyDictionary<int, string> Names) Recorded(IBlockTracer tracer)
    {
        Assert.Equal(_first.ToArray(), _second.ToArray());
        Assert.Equal(_first.ProcessNames, _second.ProcessNames);
        return (_first.ToArray().Select(e => (e.Action, e.Sector, e.Bytes)).ToList(), _first.ProcessNames);
    }
}
