using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Queue.Fakes;

namespace Hardware.BlockLayer.Tests.Queue;

/// <summary>nr_requests: at most that many requests exist; a bio that needs one more waits, as its submitter sleeps.</summary>
public class RequestAllocationTests
{
    /// <summary>A device taking one request at a time, slowly, with two host tags: the scheduler gets 4 requests.</summary>
    private static QueueHarness SmallPool()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 1, TagSetDepth = 2 });
        h.Driver.LatencyNs = 1_000_000;
        return h;
    }

    /// <summary>Scattered sectors, so nothing merges.</summary>
    private static long Scattered(int i) => 10_000 + i * 1_000;

    [Fact]
    public void Requests_never_outnumber_nr_requests_and_every_waiting_bio_still_completes()
    {
        QueueHarness h = SmallPool();
        Assert.Equal(4, h.Queue.NrRequests);
        Bio[] writes = Enumerable.Range(0, 20).Select(i => h.Submit(h.Write(Scattered(i), 8))).ToArray();
        Assert.Equal(4, h.Queue.AllocatedRequests);
        Assert.Equal(16, h.Queue.WaitingBios);
        int most = 0;
        while (!writes.All(w => w.Completion.IsCompleted) && h.Simulation.Step())
            most = Math.Max(most, h.Queue.AllocatedRequests);
        Assert.Equal(4, most);
        Assert.All(writes, w => Assert.Equal(Errno.None, w.Completion.GetResult(w.Completion.Version)));
        Assert.Equal(20, h.Driver.Issued.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(Scattered), h.Driver.Issued.Select(r => r.Sector));
        Assert.Equal((0, 0), (h.Queue.AllocatedRequests, h.Queue.WaitingBios));
    }

    [Fact]
    public void Sleepers_take_turns_so_a_reader_waits_behind_one_bio_of_a_flooding_writer_not_all_of_them()
    {
        QueueHarness h = SmallPool();
        Bio[] writes = Enumerable.Range(0, 10).Select(i => h.Submit(h.Write(Scattered(i), 8, processId: 1))).ToArray();
        Bio read = h.Submit(h.Read(5_000, 8, processId: 2));
        h.RunUntilDone([.. writes, read]);
        // w0 at the device, w1-w3 in the elevator; then the writer's w4 (it slept first), the reader, the writer again.
        long[] expected = [.. Enumerable.Range(0, 5).Select(Scattered), 5_000, .. Enumerable.Range(5, 5).Select(Scattered)];
        Assert.Equal(expected, h.Driver.Issued.Select(r => r.Sector));
    }

    [Fact]
    public void Bios_that_merge_need_no_request_and_go_along_when_their_submitter_wakes()
    {
        QueueHarness h = SmallPool();
        Bio[] fill = Enumerable.Range(0, 4).Select(i => h.Submit(h.Write(Scattered(i), 8))).ToArray();
        Bio head = h.Submit(h.Write(500_000, 8));
        Bio second = h.Submit(h.Write(500_008, 8));
        Bio third = h.Submit(h.Write(500_016, 8));
        Assert.Equal(3, h.Queue.WaitingBios);
        h.RunUntilDone([.. fill, head, second, third]);
        IssuedRequest merged = h.Driver.Issued.Single(r => r.Sector == 500_000);
        Assert.Equal((24, 3), (merged.SectorCount, merged.BioCount));
        Assert.Equal(5, h.Driver.Issued.Count);
        Assert.Equal(1, h.Queue.Statistics.RequestWaits);
    }

    [Fact]
    public void Raising_nr_requests_wakes_the_sleepers_before_anything_completes()
    {
        QueueHarness h = SmallPool();
        Bio[] writes = Enumerable.Range(0, 8).Select(i => h.Submit(h.Write(Scattered(i), 8))).ToArray();
        Assert.Equal(4, h.Queue.WaitingBios);
        h.Queue.NrRequests = 16;
        h.Simulation.RunUntil(h.Simulation.Now);
        Assert.Equal((8, 0), (h.Queue.AllocatedRequests, h.Queue.WaitingBios));
        Assert.DoesNotContain(writes, w => w.Completion.IsCompleted);
    }

    [Theory]
    [InlineData(32, 0, 64)]    // an NCQ disk: twice the tags
    [InlineData(1, 32, 64)]    // a disk without NCQ behind AHCI's 32 slots
    [InlineData(256, 0, 256)]  // twice at most BLKDEV_DEFAULT_RQ (128)
    [InlineData(1, 1, 4)]      // never below BLKDEV_MIN_RQ
    public void A_scheduler_gets_twice_the_tag_set_at_most_256_requests(int queueDepth, int tagSetDepth, int expected)
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = queueDepth, TagSetDepth = tagSetDepth == 0 ? queueDepth : tagSetDepth });
        Assert.Equal(expected, h.Queue.NrRequests);
    }

    [Fact]
    public void Switching_to_none_sizes_nr_requests_to_the_tag_set_and_back_to_a_scheduler_doubles_it()
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 32 });
        h.Queue.NrRequests = 8;
        Assert.True(h.Queue.TrySetScheduler(new NoneElevator(), out _));
        Assert.Equal(32, h.Queue.NrRequests);
        Assert.True(h.Queue.TrySetScheduler(new MqDeadlineElevator(), out _));
        Assert.Equal(64, h.Queue.NrRequests);
    }

    [Fact]
    public void Fewer_than_four_requests_are_refused()
    {
        var h = new QueueHarness();
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Queue.NrRequests = 3);
        Assert.Equal(64, h.Queue.NrRequests);
    }

    /// <summary>A slow one-command device behind 32 host tags (64 requests with a scheduler), on <paramref name="elevator"/>.</summary>
    private static QueueHarness Flooded(IElevator elevator, int asyncWrites)
    {
        var h = new QueueHarness(new QueueLimits { QueueDepth = 1 });
        h.Driver.LatencyNs = 1_000_000;
        Assert.True(h.Queue.TrySetScheduler(elevator, out string error), error);
        for (int i = 0; i < asyncWrites; i++)
            h.Submit(h.Write(Scattered(i), 8, processId: 1));
        return h;
    }

    [Fact]
    public void Kyber_lets_asynchronous_writes_take_three_quarters_of_the_requests_so_a_read_still_finds_one()
    {
        QueueHarness h = Flooded(new KyberElevator(), 60);
        Assert.Equal(48, h.Queue.AllocatedRequests);
        Assert.Equal(12, h.Queue.WaitingBios);
        Bio read = h.Submit(h.Read(5_000, 8, processId: 2));
        Assert.Equal((49, 12), (h.Queue.AllocatedRequests, h.Queue.WaitingBios));
        // A synchronous write is not held back either; another asynchronous one waits behind the writer's.
        h.Submit(h.Write(900_000, 8, processId: 3, flags: BioFlags.Sync));
        h.Submit(h.Write(950_000, 8, processId: 4));
        Assert.Equal((50, 13), (h.Queue.AllocatedRequests, h.Queue.WaitingBios));
        h.RunUntilDone(read);
    }

    [Fact]
    public void Bfq_holds_asynchronous_writes_to_half_the_requests_at_most()
    {
        QueueHarness h = Flooded(new BfqElevator(), 60);
        Assert.InRange(h.Queue.AllocatedRequests, 1, 32);
        h.Submit(h.Read(5_000, 8, processId: 2));
        Assert.Equal(60 - (h.Queue.AllocatedRequests - 1), h.Queue.WaitingBios);
    }

    [Fact]
    public void Mq_deadline_holds_nothing_back_so_a_read_waits_behind_a_flood_of_writes()
    {
        QueueHarness h = Flooded(new MqDeadlineElevator(), 70);
        Assert.Equal(64, h.Queue.AllocatedRequests);
        h.Submit(h.Read(5_000, 8, processId: 2));
        Assert.Equal(7, h.Queue.WaitingBios);
    }
}
