using Hardware.BlockLayer.Tests.Queue.Fakes;

namespace Hardware.BlockLayer.Tests.Queue;

public class SchedulerSwitchTests
{
    [Fact]
    public void Switching_hands_every_held_request_to_the_new_scheduler_in_insertion_order()
    {
        var h = new QueueHarness();
        h.Elevator.Hold = true; // the old scheduler releases nothing, like one that idles
        long[] sectors = [500, 100, 900, 300, 700];
        Bio[] bios = sectors.Select(s => h.Submit(h.Write(s, 8))).ToArray();
        Assert.Empty(h.Driver.Issued);
        Assert.Equal(5, h.Queue.HeldCount);

        var next = new FifoTestElevator { Name = "next" };
        Assert.True(h.Queue.TrySetScheduler(next, out string error), error);

        Assert.Same(next, h.Queue.Elevator);
        Assert.Equal(5, next.Inserted);
        h.RunUntilDone(bios);
        Assert.Equal(sectors, h.Driver.Issued.Select(r => r.Sector));
        Assert.Equal(5, next.CompletedCount);
        Assert.Equal(0, h.Elevator.Dispatched);
        Assert.Equal(1, h.Queue.Statistics.SchedulerSwitches);
    }

    [Fact]
    public void Requests_the_old_scheduler_released_report_their_completion_to_it()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 2 });
        Bio[] bios = Enumerable.Range(0, 6).Select(i => h.Submit(h.Read(i * 100L, 8))).ToArray();
        Assert.Equal(2, h.Elevator.Dispatched);

        var next = new FifoTestElevator { Name = "next" };
        Assert.True(h.Queue.TrySetScheduler(next, out _));
        h.RunUntilDone(bios);

        Assert.Equal((2, 0), (h.Elevator.CompletedCount, h.Elevator.Outstanding));
        Assert.Equal((4, 4, 0), (next.Dispatched, next.CompletedCount, next.Outstanding));
        Assert.Equal(6, h.Driver.Issued.Count);
    }

    [Fact]
    public void After_a_switch_merges_are_asked_of_the_new_scheduler()
    {
        var h = new QueueHarness();
        h.Elevator.Hold = true;
        Bio first = h.Submit(h.Write(100, 8));
        var next = new FifoTestElevator { Name = "next", Hold = true };
        Assert.True(h.Queue.TrySetScheduler(next, out _));
        Bio second = h.Submit(h.Write(108, 8));
        Assert.Equal(1, next.BioMerges);
        next.Hold = false;
        Assert.True(h.Queue.TrySetScheduler(new FifoTestElevator { Name = "third" }, out _));
        h.RunUntilDone(first, second);
        Assert.Equal((100L, 16), (h.Driver.Issued.Single().Sector, h.Driver.Issued.Single().SectorCount));
    }

    [Fact]
    public void Switching_to_the_current_scheduler_changes_nothing()
    {
        var h = new QueueHarness();
        h.Elevator.Hold = true;
        h.Submit(h.Write(100, 8));
        Assert.True(h.Queue.TrySetScheduler(h.Elevator, out string error));
        Assert.Equal("", error);
        Assert.Equal(1, h.Elevator.Inserted);
        Assert.Equal(0, h.Queue.Statistics.SchedulerSwitches);
    }

    [Fact]
    public void A_scheduler_already_serving_another_queue_is_refused_with_a_message()
    {
        var first = new QueueHarness();
        var second = new QueueHarness();
        Assert.False(second.Queue.TrySetScheduler(first.Elevator, out string error));
        Assert.Contains("sda: scheduler test-fifo already serves sda", error);
        Assert.NotSame(first.Elevator, second.Queue.Elevator);
        Assert.Throws<ArgumentException>(() => new RequestQueue(second.Simulation, new FakeBlockDriver(second.Simulation), first.Elevator));
    }
}
