using Hardware.BlockLayer.Tests.Queue.Fakes;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer.Tests.Queue;

public class FlushTests
{
    private static readonly QueueLimits CachedNoFua = new() { WriteCache = true, Fua = false };
    private static readonly QueueLimits CachedWithFua = new() { WriteCache = true, Fua = true };

    private static string Ops(QueueHarness h) => string.Join(" ", h.Driver.Issued.Select(r =>
        r.Op switch { BioOp.Flush => "F", BioOp.Write => (r.Flags & BioFlags.Fua) != 0 ? "W(fua)" : "W", BioOp.Read => "R", _ => "T" }));

    [Fact]
    public void An_empty_flush_becomes_a_device_flush_that_covers_every_write_completed_before_it()
    {
        var h = new QueueHarness(CachedNoFua);
        h.Run(async () =>
        {
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Write(0, 8)));
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Write(64, 8)));
            Assert.Equal(0, h.Driver.DurableWatermark);
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Flush()));
            Assert.Equal(2, h.Driver.DurableWatermark);
        });
        Assert.Equal("W W F", Ops(h));
        Assert.Equal(1, h.Disk.Stats.FlushIos);
    }

    [Fact]
    public void A_preflush_write_reaches_the_device_only_after_a_flush_completed()
    {
        var h = new QueueHarness(CachedNoFua);
        long durableAtIssue = -1;
        h.Driver.OnAccepted = r => { if (r.Op == BioOp.Write && r.Sector == 64) durableAtIssue = h.Driver.DurableWatermark; };
        h.Run(async () =>
        {
            await h.Disk.SubmitAndWaitAsync(h.Write(0, 8));
            await h.Disk.SubmitAndWaitAsync(h.Write(64, 8, flags: BioFlags.Preflush));
        });
        Assert.Equal("W F W", Ops(h));
        Assert.Equal(1, durableAtIssue);
        Assert.True(h.Driver.Issued[2].Time >= h.Driver.Issued[1].Time + h.Driver.LatencyNs);
    }

    [Fact]
    public void A_fua_write_stays_one_fua_request_when_the_device_has_fua()
    {
        var h = new QueueHarness(CachedWithFua);
        h.Run(async () => await h.Disk.SubmitAndWaitAsync(h.Write(0, 8, flags: BioFlags.Fua)));
        Assert.Equal("W(fua)", Ops(h));
        Assert.Equal(0, h.Disk.Stats.FlushIos);
    }

    [Fact]
    public void A_fua_write_without_device_fua_is_followed_by_a_flush_and_completes_after_it()
    {
        var h = new QueueHarness(CachedNoFua);
        Bio bio = h.Write(0, 8, flags: BioFlags.Fua);
        long completedAt = h.Run(async () =>
        {
            await h.Disk.SubmitAndWaitAsync(bio);
            return h.Simulation.Now;
        });
        Assert.Equal("W F", Ops(h));
        Assert.Equal(1, h.Driver.DurableWatermark);
        Assert.Equal(2 * h.Driver.LatencyNs, completedAt);
        Assert.Equal(1, h.Disk.Stats.WriteIos);
        Assert.Equal(2 * h.Driver.LatencyNs / 1_000_000, h.Disk.Stats.WriteTicksMs);
    }

    [Fact]
    public void A_preflush_fua_write_is_flush_write_flush_without_device_fua()
    {
        var h = new QueueHarness(CachedNoFua);
        h.Run(async () => await h.Disk.SubmitAndWaitAsync(h.Write(0, 8, flags: BioFlags.Preflush | BioFlags.Fua)));
        Assert.Equal("F W F", Ops(h));
    }

    [Fact]
    public void Without_a_write_cache_flushes_complete_at_once_and_never_reach_the_device()
    {
        var h = new QueueHarness(new QueueLimits { WriteCache = false });
        h.Run(async () =>
        {
            Assert.Equal(Errno.None, await h.Disk.SubmitAndWaitAsync(h.Flush()));
            Assert.Equal(0, h.Simulation.Now);
            await h.Disk.SubmitAndWaitAsync(h.Write(0, 8, flags: BioFlags.Preflush | BioFlags.Fua));
        });
        Assert.Equal("W", Ops(h));
        Assert.Equal(BioFlags.None, h.Driver.Issued[0].Flags);
        Assert.Equal(0, h.Tracer.Events.Count(e => e.Op == BioOp.Flush));
    }

    [Fact]
    public void Flushes_waiting_together_share_one_device_flush_and_later_ones_wait_for_the_next()
    {
        var h = new QueueHarness(CachedNoFua);
        Bio a = h.Submit(h.Flush(1));
        Bio b = h.Submit(h.Flush(2)); // the flush for a has not gone to the device yet: b rides on it
        h.Simulation.RunUntil(h.Driver.LatencyNs / 2);
        Assert.Single(h.Driver.Issued);
        Bio c = h.Submit(h.Flush(3)); // the flush in flight may not cover writes before c: c needs the next one
        Bio d = h.Submit(h.Flush(4));
        h.RunUntilDone(a, b, c, d);
        Assert.Equal("F F", Ops(h));
        Assert.Equal(2, h.Queue.Statistics.FlushesIssued);
        Assert.Equal(h.Driver.LatencyNs, h.Driver.Issued[1].Time);
    }

    [Fact]
    public void A_failed_flush_fails_every_bio_waiting_on_it_and_their_data_never_goes_out()
    {
        var h = new QueueHarness(CachedNoFua);
        h.Driver.Decide = r => r.Op == BioOp.Flush ? DriverAction.Fail(Errno.EIO) : DriverAction.Ok;
        Bio flush = h.Submit(h.Flush(1));
        Bio write = h.Submit(h.Write(0, 8, processId: 2, flags: BioFlags.Preflush));
        h.RunUntilDone(flush, write);
        Assert.Equal(Errno.EIO, flush.Status);
        Assert.Equal(Errno.EIO, write.Status);
        Assert.Equal("F", Ops(h));
    }

    [Fact]
    public void A_failed_post_flush_fails_the_fua_write()
    {
        var h = new QueueHarness(CachedNoFua);
        h.Driver.Decide = r => r.Op == BioOp.Flush ? DriverAction.Fail(Errno.EIO) : DriverAction.Ok;
        Bio write = h.Submit(h.Write(0, 8, flags: BioFlags.Fua));
        h.RunUntilDone(write);
        Assert.Equal(Errno.EIO, write.Status);
        Assert.Equal("W F", Ops(h));
    }

    [Fact]
    public void Flush_requests_are_traced_inserted_issued_and_completed()
    {
        var h = new QueueHarness(CachedNoFua);
        h.RunUntilDone(h.Submit(h.Flush()));
        // Q, G for the bio; I, D, C of the device flush; C of the bio's request.
        Assert.Equal("Q G I D C C", h.Tracer.Letters());
        Assert.All(h.Tracer.Events, e => Assert.Equal(BioOp.Flush, e.Op));
    }
}
