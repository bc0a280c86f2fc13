using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue;

public class RequeueAndTimeoutTests
{
    [Fact]
    public void An_error_reaches_every_bio_of_the_request()
    {
        var h = new QueueHarness();
        h.Driver.Decide = _ => DriverAction.Fail(Errno.EIO);
        BlockPlug plug = h.Queue.Plug(1);
        Bio[] bios = [h.Submit(h.Read(0, 8)), h.Submit(h.Read(8, 8)), h.Submit(h.Read(16, 8))];
        plug.Finish();
        h.RunUntilDone(bios);
        Assert.Single(h.Driver.Issued);
        Assert.All(bios, b => Assert.Equal(Errno.EIO, b.Status));
        Assert.Equal(Errno.EIO, h.Tracer.Events.Single(e => e.Action == BlockTraceAction.Complete).Error);
    }

    [Fact]
    public void A_requeued_request_is_issued_again_ahead_of_what_the_elevator_holds()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 1 });
        h.Driver.Decide = r => r.Sector == 0 && r.Retries == 0 ? new DriverAction(DriverActionKind.Requeue) : DriverAction.Ok;
        Bio first = h.Submit(h.Read(0, 8));
        Bio second = h.Submit(h.Read(800, 8));
        h.RunUntilDone(first, second);
        Assert.Equal([(0L, 0), (0L, 1), (800L, 0)], h.Driver.Issued.Select(r => (r.Sector, r.Retries)));
        Assert.Equal(Errno.None, first.Status);
        Assert.Equal(1, h.Tracer.Count(BlockTraceAction.Requeue));
        Assert.Equal(1, h.Elevator.CompletedCount - 1); // each request completed once to the elevator
    }

    [Fact]
    public void A_request_requeued_more_than_max_requeues_times_completes_with_EIO()
    {
        var h = new QueueHarness(options: new QueueOptions { MaxRequeues = 3 });
        h.Driver.Decide = _ => new DriverAction(DriverActionKind.Requeue);
        Bio bio = h.Submit(h.Write(0, 8));
        h.RunUntilDone(bio);
        Assert.Equal(Errno.EIO, bio.Status);
        Assert.Equal(4, h.Driver.Issued.Count);
        Assert.Equal(4, h.Queue.Statistics.Requeues);
        Assert.Equal(1, h.Queue.Statistics.RetriesExhausted);
        Assert.Equal(0, h.Elevator.Outstanding);
    }

    [Fact]
    public void A_busy_answer_is_retried_first_after_the_next_completion()
    {
        var h = new QueueHarness();
        h.Driver.LatencyNs = 1000;
        int busyAnswers = 0;
        // The device takes one request, then says "not now" once while it is busy.
        h.Driver.Decide = r => h.Driver.InFlight > 0 && busyAnswers++ == 0 ? DriverAction.Busy : DriverAction.Ok;
        BlockPlug plug = h.Queue.Plug(1);
        Bio[] bios = [h.Submit(h.Read(0, 8)), h.Submit(h.Read(800, 8)), h.Submit(h.Read(1600, 8))];
        plug.Finish();
        h.RunUntilDone(bios);
        Assert.Equal([(0L, 0L), (800L, 0L), (800L, 1000L), (1600L, 1000L)], h.Driver.Issued.Select(r => (r.Sector, r.Time)));
        Assert.Equal(1, h.Queue.Statistics.BusyAnswers);
        Assert.All(bios, b => Assert.Equal(Errno.None, b.Status));
    }

    [Fact]
    public void A_busy_answer_with_nothing_in_flight_is_retried_after_the_resource_delay()
    {
        var h = new QueueHarness();
        int answers = 0;
        h.Driver.Decide = _ => answers++ < 2 ? DriverAction.Busy : DriverAction.Ok;
        Bio bio = h.Submit(h.Read(0, 8));
        h.RunUntilDone(bio);
        Assert.Equal([0L, 3 * SimTime.Millisecond, 6 * SimTime.Millisecond], h.Driver.Issued.Select(r => r.Time));
        Assert.Equal(2, h.Tracer.Count(BlockTraceAction.Requeue));
    }

    [Fact]
    public void Requests_at_the_device_never_outnumber_the_tags()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 4 });
        BlockPlug plug = h.Queue.Plug(1);
        var bios = Enumerable.Range(0, 20).Select(i => h.Submit(h.Read(i * 100L, 8))).ToArray();
        plug.Finish();
        Assert.Equal(4, h.Driver.InFlight);
        Assert.Equal(16, h.Queue.HeldCount);
        h.RunUntilDone(bios);
        Assert.Equal(4, h.Driver.MaxInFlight);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 100L), h.Driver.Issued.Select(r => r.Sector));
        Assert.All(h.Driver.Issued, r => Assert.InRange(r.Tag, 0, 3));
    }

    [Fact]
    public void A_request_stuck_at_the_device_goes_to_the_driver_timeout_handler_after_30_seconds()
    {
        var h = new QueueHarness();
        h.Driver.Decide = r => r.Sector == 0 ? new DriverAction(DriverActionKind.Hang) : DriverAction.Ok;
        Bio stuck = h.Submit(h.Read(0, 8));
        Bio fine = h.Submit(h.Read(100, 8));
        h.RunUntilDone(fine);
        Assert.Empty(h.Driver.TimedOut);
        h.RunUntilDone(stuck);
        Assert.Equal(30 * SimTime.Second, h.Simulation.Now);
        Assert.Equal(0L, h.Driver.TimedOut.Single().Sector);
        Assert.Equal(Errno.EIO, stuck.Status); // the fake driver's handler gives up with EIO
        Assert.Equal(1, h.Queue.Statistics.Timeouts);
    }

    [Fact]
    public void A_timeout_handler_may_requeue_and_the_retry_succeeds()
    {
        var h = new QueueHarness();
        h.Queue.TimeoutNs = 5 * SimTime.Second;
        h.Driver.Decide = r => r.Retries == 0 ? new DriverAction(DriverActionKind.Hang) : DriverAction.Ok;
        h.Driver.OnTimeout = (r, _) => h.Driver.Requeue(r);
        Bio bio = h.Submit(h.Write(0, 8));
        h.RunUntilDone(bio);
        Assert.Equal(Errno.None, bio.Status);
        Assert.Equal(2, h.Driver.Issued.Count);
        Assert.Equal(5 * SimTime.Second, h.Driver.Issued[1].Time);
    }

    [Fact]
    public void A_request_the_timeout_handler_leaves_at_the_device_gets_a_fresh_deadline()
    {
        var h = new QueueHarness();
        h.Queue.TimeoutNs = SimTime.Second;
        h.Driver.Decide = _ => new DriverAction(DriverActionKind.Hang);
        int calls = 0;
        h.Driver.OnTimeout = (r, _) => { if (++calls == 3) h.Driver.Complete(r, Errno.ETIMEDOUT); };
        Bio bio = h.Submit(h.Read(0, 8));
        h.RunUntilDone(bio);
        Assert.Equal(Errno.ETIMEDOUT, bio.Status);
        Assert.Equal(3 * SimTime.Second, h.Simulation.Now);
    }

    [Fact]
    public void Completing_a_request_that_is_not_at_the_device_is_a_driver_bug()
    {
        var h = new QueueHarness();
        var stray = new Request { Tag = 0 };
        Assert.Throws<InvalidOperationException>(() => h.Queue.CompleteRequest(stray, Errno.None));
        Assert.Throws<InvalidOperationException>(() => h.Queue.RequeueRequest(new Request()));
    }
}
