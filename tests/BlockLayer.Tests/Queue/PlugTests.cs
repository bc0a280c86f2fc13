using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue;

public class PlugTests
{
    [Fact]
    public void Without_a_plug_a_bio_goes_straight_to_the_device()
    {
        var h = new QueueHarness();
        Bio bio = h.Submit(h.Read(100, 8));
        Assert.Single(h.Driver.Issued);
        h.RunUntilDone(bio);
        Assert.Equal(Errno.None, bio.Status);
        Assert.Equal("Q G I D C", h.Tracer.Letters());
    }

    [Fact]
    public void A_plug_holds_requests_until_it_is_finished()
    {
        var h = new QueueHarness();
        BlockPlug plug = h.Queue.Plug(processId: 1);
        Bio[] bios = [h.Submit(h.Read(1000, 8)), h.Submit(h.Read(5000, 8)), h.Submit(h.Read(9000, 8))];
        Assert.Empty(h.Driver.Issued);
        Assert.Equal(3, plug.RequestCount);

        plug.Finish();

        Assert.Equal(3, h.Driver.Issued.Count);
        Assert.False(plug.IsActive);
        h.RunUntilDone(bios);
        BlockTraceEvent unplug = h.Tracer.Events.Single(e => e.Action == BlockTraceAction.UnplugIo);
        Assert.Equal(3, unplug.Depth);
        Assert.Equal("Q G P Q G Q G U I I I D D D C C C", h.Tracer.Letters());
    }

    [Fact]
    public void A_new_request_flushes_a_plug_that_already_holds_32()
    {
        var h = new QueueHarness();
        using BlockPlug plug = h.Queue.Plug(1);
        for (int i = 0; i < 32; i++)
            h.Submit(h.Write(i * 1000L, 8));
        Assert.Empty(h.Driver.Issued);
        Assert.Equal(32, plug.RequestCount);

        h.Submit(h.Write(99_000, 8));

        Assert.Equal(32, h.Driver.Issued.Count);
        Assert.Equal(1, plug.RequestCount);
        Assert.Equal(32, h.Tracer.Events.Single(e => e.Action == BlockTraceAction.UnplugIo).Depth);
    }

    [Fact]
    public void A_new_request_flushes_a_plug_whose_last_request_reached_128_KiB()
    {
        var h = new QueueHarness();
        using BlockPlug plug = h.Queue.Plug(1);
        // 31 sequential 4 KiB writes merge into one request of 124 KiB: below the threshold.
        for (int i = 0; i < 31; i++)
            h.Submit(h.Write(i * 8L, 8));
        h.Submit(h.Write(50_000, 8));
        Assert.Empty(h.Driver.Issued);
        Assert.Equal(2, plug.RequestCount);

        // The last request reaches 128 KiB by merging; the next new request flushes the plug.
        for (int i = 0; i < 32; i++)
            h.Submit(h.Write(60_000 + i * 8L, 8));
        Assert.Empty(h.Driver.Issued);
        h.Submit(h.Write(90_000, 8));

        Assert.Equal(3, h.Driver.Issued.Count);
        Assert.Equal([248, 8, 256], h.Driver.Issued.Select(r => r.SectorCount));
        Assert.Equal(1, plug.RequestCount);
    }

    [Fact]
    public void Waiting_for_a_bio_flushes_the_process_plug_as_an_implicit_unplug()
    {
        var h = new QueueHarness();
        Errno status = h.Run(async () =>
        {
            using BlockPlug plug = h.Queue.Plug(7);
            h.Submit(h.Read(0, 8, processId: 7));
            h.Submit(h.Read(4000, 8, processId: 7));
            Assert.Empty(h.Driver.Issued);
            Errno result = await h.Disk.SubmitAndWaitAsync(h.Read(8000, 8, processId: 7));
            Assert.Equal(0, plug.RequestCount);
            return result;
        });
        Assert.Equal(Errno.None, status);
        Assert.Equal(3, h.Driver.Issued.Count);
        BlockTraceEvent unplug = h.Tracer.Events.Single(e => e.Action is BlockTraceAction.UnplugIo or BlockTraceAction.UnplugTimer);
        Assert.Equal(BlockTraceAction.UnplugTimer, unplug.Action); // Linux traces an unplug from schedule as "UT"
        Assert.Equal(3, unplug.Depth);
    }

    [Fact]
    public void Plugs_are_per_process()
    {
        var h = new QueueHarness();
        using BlockPlug plug = h.Queue.Plug(1);
        h.Submit(h.Read(0, 8, processId: 1));
        h.Submit(h.Read(800, 8, processId: 2));
        Assert.Equal([800L], h.Driver.Issued.Select(r => r.Sector));
        h.Queue.FlushPlug(2); // another process waiting leaves this plug alone
        Assert.Equal(1, plug.RequestCount);
    }

    [Fact]
    public void Nested_plugs_flush_only_when_the_outermost_finishes()
    {
        var h = new QueueHarness();
        BlockPlug outer = h.Queue.Plug(1);
        BlockPlug inner = h.Queue.Plug(1);
        Assert.Same(outer, inner);
        h.Submit(h.Read(0, 8));
        inner.Dispose();
        Assert.Empty(h.Driver.Issued);
        outer.Dispose();
        Assert.Single(h.Driver.Issued);
        outer.Dispose(); // a stray extra finish does nothing
        Assert.Single(h.Driver.Issued);
    }

    [Fact]
    public void The_unplug_timer_sends_a_forgotten_plug_when_configured()
    {
        var h = new QueueHarness(options: new QueueOptions { UnplugTimerNs = 3 * SimTime.Millisecond });
        h.Queue.Plug(1);
        Bio bio = h.Submit(h.Read(0, 8));
        h.Simulation.RunUntil(3 * SimTime.Millisecond - 1);
        Assert.Empty(h.Driver.Issued);
        h.RunUntilDone(bio);
        Assert.Equal(3 * SimTime.Millisecond, h.Driver.Issued.Single().Time);
        Assert.Equal(1, h.Tracer.Events.Single(e => e.Action == BlockTraceAction.UnplugTimer).Depth);
    }

    [Fact]
    public void Bios_merge_inside_the_plug_front_and_back()
    {
        var h = new QueueHarness();
        BlockPlug plug = h.Queue.Plug(1);
        Bio[] bios = [h.Submit(h.Write(16, 8)), h.Submit(h.Write(24, 8)), h.Submit(h.Write(8, 8)), h.Submit(h.Write(0, 8))];
        Assert.Equal(1, plug.RequestCount);
        plug.Finish();
        IssuedRequest request = h.Driver.Issued.Single();
        Assert.Equal((0L, 32, 4), (request.Sector, request.SectorCount, request.BioCount));
        h.RunUntilDone(bios);
        Assert.Equal("Q G P Q M Q F Q F U I D C", h.Tracer.Letters());
        Assert.Equal(3, h.Disk.Stats.WriteMerges);
        Assert.Equal(1, h.Disk.Stats.WriteIos);
    }
}
