using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue;

public class TraceTests
{
    [Fact]
    public void A_busy_answer_traces_issue_then_requeue_then_issue_again()
    {
        var h = new QueueHarness();
        int answers = 0;
        h.Driver.Decide = _ => answers++ == 0 ? DriverAction.Busy : DriverAction.Ok;
        h.RunUntilDone(h.Submit(h.Read(0, 8)));
        Assert.Equal("Q G I D R D C", h.Tracer.Letters());
    }

    [Fact]
    public void A_split_traces_one_queue_one_split_and_a_request_per_child()
    {
        var h = new QueueHarness(new QueueLimits { MaxSectors = 8 });
        h.RunUntilDone(h.Submit(h.Read(0, 16)));
        Assert.Equal("Q X G I D G I D C C", h.Tracer.Letters());
        Assert.Equal([0L, 0L, 0L, 0L, 0L, 8L, 8L, 8L, 0L, 8L], h.Tracer.Events.Select(e => e.Sector));
    }

    [Fact]
    public void Events_carry_time_process_device_size_and_the_completion_error()
    {
        var h = new QueueHarness();
        h.Driver.LatencyNs = 5 * SimTime.Microsecond;
        h.Driver.Decide = _ => DriverAction.Fail(Errno.EIO);
        h.RunUntilDone(h.Submit(h.Write(64, 16, processId: 42, flags: BioFlags.Sync)));
        BlockTraceEvent complete = h.Tracer.Events.Single(e => e.Action == BlockTraceAction.Complete);
        Assert.Equal(new BlockTraceEvent(5 * SimTime.Microsecond, BlockTraceAction.Complete, BioOp.Write, BioFlags.Sync, 64, 8192, 42,
            8u << 20, Errno.EIO), complete);
        Assert.All(h.Tracer.Events, e => Assert.Equal((42, 8u << 20), (e.ProcessId, e.Device)));
    }

    [Fact]
    public void The_same_workload_twice_gives_the_same_trace_event_for_event()
    {
        static List<BlockTraceEvent> Run()
        {
            var h = new QueueHarness(new QueueLimits { QueueDepth = 4, MaxSectors = 64, WriteCache = true });
            SimRandom random = h.Simulation.CreateRandom("latency");
            h.Driver.Decide = _ => new DriverAction(DriverActionKind.Complete, LatencyNs: 1000 + random.NextInt64(100_000));
            Task[] processes = Enumerable.Range(1, 3).Select(pid => h.Simulation.Spawn(async () =>
            {
                SimRandom mine = h.Simulation.CreateRandom($"p{pid}");
                for (int i = 0; i < 40; i++)
                {
                    using (h.Queue.Plug(pid))
                    {
                        for (int j = 0; j < 4; j++)
                            h.Submit(h.Write(mine.NextInt64(1000) * 8, 8 * (1 + mine.NextInt32(20)), pid));
                    }
                    await h.Disk.SubmitAndWaitAsync(h.Flush(pid));
                }
            })).ToArray();
            h.Simulation.RunUntilComplete(Task.WhenAll(processes));
            return h.Tracer.Events;
        }

        List<BlockTraceEvent> first = Run();
        Assert.True(first.Count > 1000);
        Assert.Equal(first, Run());
    }
}
