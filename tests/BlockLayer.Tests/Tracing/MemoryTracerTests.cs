using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Tracing;

public class MemoryTracerTests
{
    [Fact]
    public void A_full_ring_keeps_the_newest_events_oldest_first_and_counts_the_overwritten()
    {
        var tracer = new MemoryTracer(capacity: 4);
        for (int i = 0; i < 10; i++)
            tracer.Trace(Queued(i));

        Assert.Equal((4, 10L, 6L), (tracer.Count, tracer.Traced, tracer.Overwritten));
        Assert.Equal([6L, 7L, 8L, 9L], Enumerable.Range(0, tracer.Count).Select(i => tracer[i].Time));
        Assert.Equal([6L, 7L, 8L, 9L], tracer.ToArray().Select(e => e.Time));
    }

    [Fact]
    public void Copying_into_a_smaller_span_takes_the_oldest_held_events()
    {
        var tracer = new MemoryTracer(capacity: 5);
        for (int i = 0; i < 7; i++)
            tracer.Trace(Queued(i));

        var three = new BlockTraceEvent[3];
        Assert.Equal(3, tracer.CopyTo(three));
        Assert.Equal([2L, 3L, 4L], three.Select(e => e.Time));
    }

    [Fact]
    public void Reading_past_the_held_events_is_a_caller_bug()
    {
        var tracer = new MemoryTracer(capacity: 2);
        tracer.Trace(Queued(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracer[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryTracer(capacity: 0));
    }

    [Fact]
    public void Events_are_counted_by_action_and_clearing_forgets_them_but_not_the_names()
    {
        var tracer = new MemoryTracer();
        tracer.NameProcess(7, "fio", 0);
        tracer.Trace(Queued(1));
        tracer.Trace(Queued(2) with { Action = BlockTraceAction.Issue });
        tracer.Trace(Queued(3));
        Assert.Equal(2, tracer.CountOf(BlockTraceAction.Queue));
        Assert.Equal(1, tracer.CountOf(BlockTraceAction.Issue));

        tracer.Clear();
        Assert.Equal((0, 0L), (tracer.Count, tracer.Traced));
        Assert.Equal(0, tracer.CountOf(BlockTraceAction.Queue));
        Assert.Equal("fio", tracer.ProcessNames[7]);
    }

    private static BlockTraceEvent Queued(long time) =>
        new(time, BlockTraceAction.Queue, BioOp.Read, BioFlags.None, time * 8, 4096, 7, BlktraceDevice.Make(8, 0));
}
