using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers;

public class MqDeadlineTests
{
    private static ElevatorHarness Manual(MqDeadlineOptions? options = null)
    {
        var h = new ElevatorHarness(new MqDeadlineElevator(options ?? new MqDeadlineOptions()), new HarnessOptions { QueueDepth = 1024 });
        h.AutoDispatch = false;
        return h;
    }

    private static Request Add(ElevatorHarness h, BioOp op, long sector, int pid = 1)
    {
        Request request = h.Rent(op, sector, 8, pid);
        h.Submit(request);
        return request;
    }

    private static long Stat(IElevator elevator, string name) => elevator.Statistics.Single(p => p.Key == name).Value;

    [Fact]
    public void A_batch_goes_out_in_ascending_sector_order_from_where_the_last_request_ended()
    {
        var h = Manual();
        foreach (long sector in new long[] { 5000, 1000, 9000, 3000, 7000 })
            Add(h, BioOp.Read, sector);
        Assert.Equal(1000, h.DispatchOne()!.Sector);
        Add(h, BioOp.Read, 500); // behind the position: waits for the sweep to run out

        long[] rest = Enumerable.Range(0, 5).Select(_ => h.DispatchOne()!.Sector).ToArray();
        Assert.Equal([3000, 5000, 7000, 9000, 500], rest);
    }

    [Fact]
    public void With_fifo_batch_1_an_expired_read_is_served_before_the_sector_sorted_candidate()
    {
        var h = Manual(new MqDeadlineOptions { FifoBatch = 1 });
        Add(h, BioOp.Read, 400);
        Assert.Equal(400, h.DispatchOne()!.Sector); // position now 408
        Request old = Add(h, BioOp.Read, 100);
        h.RunUntil(h.Now + 600 * SimTime.Millisecond); // past read_expire (500 ms)
        Add(h, BioOp.Read, 600); // the sector-order successor of 408

        Assert.Same(old, h.DispatchOne());
        Assert.Equal(600, h.DispatchOne()!.Sector);
        Assert.Equal(1, Stat(h.Elevator, "read_deadline_expired"));
    }

    [Fact]
    public void Before_expiry_sector_order_wins_over_age()
    {
        var h = Manual(new MqDeadlineOptions { FifoBatch = 1 });
        Add(h, BioOp.Read, 400);
        h.DispatchOne();
        Add(h, BioOp.Read, 100);
        h.RunUntil(h.Now + 400 * SimTime.Millisecond);
        Add(h, BioOp.Read, 600);

        Assert.Equal(600, h.DispatchOne()!.Sector);
        Assert.Equal(0, Stat(h.Elevator, "read_deadline_expired"));
    }

    [Fact]
    public void With_the_default_fifo_batch_an_expired_read_waits_only_for_the_current_batch_to_end()
    {
        var h = Manual();
        Add(h, BioOp.Read, 999_992);
        Assert.Equal(999_992, h.DispatchOne()!.Sector); // a batch starts; position 1_000_000
        Request expiring = Add(h, BioOp.Read, 20); // behind the batch's position
        h.RunUntil(h.Now + 400 * SimTime.Millisecond);
        for (int i = 0; i < 40; i++)
            Add(h, BioOp.Read, 1_000_000 + i * 8); // ahead, younger
        Assert.Equal(1_000_000, h.DispatchOne()!.Sector);
        h.RunUntil(h.Now + 101 * SimTime.Millisecond); // the old read has expired, the others not

        int servedBefore = 0;
        while (h.DispatchOne() is { } request && !ReferenceEquals(request, expiring))
            servedBefore++;
        Assert.Equal(14, servedBefore); // the rest of the 16-request batch, then the expired read
        Assert.Equal(1_000_000 + 15 * 8, h.DispatchOne()!.Sector); // and the next batch resumes the sweep
    }

    [Fact]
    public void Writes_are_not_starved_by_a_stream_of_reads_they_go_out_after_at_most_writes_starved_read_batches()
    {
        var h = Manual();
        var random = new SimRandom(5);
        for (int i = 0; i < 100; i++)
            Add(h, BioOp.Read, random.NextInt64(1 << 24) * 8, pid: 1 + i % 4);

        var waits = new List<int>();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 1 + random.NextInt32(20); i++)
            {
                h.DispatchOne();
                Add(h, BioOp.Read, random.NextInt64(1 << 24) * 8, pid: 1 + i % 4);
            }
            Request write = Add(h, BioOp.Write, random.NextInt64(1 << 24) * 8, pid: 9);
            int reads = 0;
            while (h.DispatchOne() is { } next && !ReferenceEquals(next, write))
            {
                reads++;
                Add(h, BioOp.Read, random.NextInt64(1 << 24) * 8, pid: 1 + reads % 4); // reads never run out
            }
            waits.Add(reads);
        }

        // At least writes_starved (2) read batches are started after the write arrives, and at most the rest of
        // the current batch (< 16) plus two full batches of fifo_batch (16) go before it; a batch ends early
        // when its sweep runs out of reads ahead.
        Assert.All(waits, w => Assert.InRange(w, 2, 15 + 2 * 16));
        Assert.True(waits.Average() > 16, $"reads were not preferred: {string.Join(", ", waits)}");
        Assert.Equal(20, Stat(h.Elevator, "starved_writes_served"));
    }

    [Fact]
    public void An_expired_write_starts_its_batch_from_the_oldest_write()
    {
        var h = Manual(new MqDeadlineOptions { WritesStarved = 0, FifoBatch = 1 });
        Add(h, BioOp.Read, 50);
        Assert.Equal(50, h.DispatchOne()!.Sector); // a read batch: every later dispatch starts a new batch
        Request oldest = Add(h, BioOp.Write, 900_000);
        h.RunUntil(h.Now + 6 * SimTime.Second);
        Add(h, BioOp.Write, 100);
        Add(h, BioOp.Read, 60);

        Assert.Same(oldest, h.DispatchOne()); // writes_starved 0: writes go first; expired: from the FIFO head
        Assert.Equal(1, Stat(h.Elevator, "write_deadline_expired"));
    }

    [Fact]
    public void Front_merges_can_be_switched_off_and_are_then_vetoed()
    {
        var h = Manual(new MqDeadlineOptions { FrontMerges = false });
        Request request = Add(h, BioOp.Read, 1000);
        var bio = new Bio(h.Simulation);
        bio.Reset(BioOp.Read, 992, processId: 1);
        bio.SectorCount = 8;

        Assert.False(h.TryMergeBio(request, bio, MergeKind.Front));
        bio.Reset(BioOp.Read, 1008, processId: 1);
        bio.SectorCount = 8;
        Assert.True(h.TryMergeBio(request, bio, MergeKind.Back));
        Assert.Equal(1, Stat(h.Elevator, "front_merges_vetoed"));
    }

    [Fact]
    public void A_front_merged_request_is_served_at_its_new_place_in_sector_order()
    {
        var h = Manual();
        Add(h, BioOp.Read, 2000);
        Request moved = Add(h, BioOp.Read, 9000);
        var bio = new Bio(h.Simulation);
        bio.Reset(BioOp.Read, 1000, processId: 1);
        bio.SectorCount = 8000;
        Assert.True(h.TryMergeBio(moved, bio, MergeKind.Front));

        Assert.Same(moved, h.DispatchOne());
    }

    [Fact]
    public void A_spec_sets_tunables_with_units_and_the_defaults_are_linuxs()
    {
        var fresh = new MqDeadlineElevator();
        Assert.Equal(
            ["read_expire=500 ms", "write_expire=5000 ms", "writes_starved=2", "fifo_batch=16", "front_merges=1"],
            fresh.Tunables.Select(t => $"{t.Name}={t.Default}{(t.Unit.Length > 0 ? " " + t.Unit : "")}"));

        Assert.True(ElevatorRegistry.TryCreate("mq-deadline:fifo_batch=1,read_expire=100ms", out IElevator? elevator, out string error), error);
        Assert.Equal("1", elevator!.Tunables.Single(t => t.Name == "fifo_batch").Value);
        Assert.Equal("100", elevator.Tunables.Single(t => t.Name == "read_expire").Value);

        Assert.False(ElevatorRegistry.TryCreate("mq-deadline:fifo_batch=-1", out _, out error));
        Assert.Equal("mq-deadline: fifo_batch=-1: out of range (valid 0..2147483647)", error);
        Assert.False(ElevatorRegistry.TryCreate("mq-deadline:read_expire=soon", out _, out error));
        Assert.Contains("read_expire=soon", error);
        Assert.False(ElevatorRegistry.TryCreate("mq-deadline:quantum=4", out _, out error));
        Assert.Equal("mq-deadline: unknown tunable 'quantum'; known: read_expire, write_expire, writes_starved, fifo_batch, front_merges", error);
    }
}
