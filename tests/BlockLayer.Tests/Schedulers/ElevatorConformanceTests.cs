using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;
using Hardware.Emulator.Simulation;
using Hardware.Testing;

namespace Hardware.BlockLayer.Tests.Schedulers;

/// <summary>
/// What every elevator must do, whatever its policy: nothing lost, nothing duplicated, merges respected, head
/// inserts honoured, flush ordering kept, HasPending truthful, tunables that parse and reject, and a dispatch
/// path that allocates nothing once warm. One small subclass per elevator.
/// </summary>
public abstract class ElevatorConformanceTests
{
    protected abstract IElevator CreateElevator();

    private ElevatorHarness NewHarness(HarnessOptions? options = null) => new(CreateElevator(), options);

    private static Request Held(ElevatorHarness h, BioOp op, long sector, int count, int pid, BioFlags flags = BioFlags.None)
    {
        Request request = h.Rent(op, sector, count, pid, flags);
        h.Submit(request);
        return request;
    }

    /// <summary>Dispatches by hand until nothing is held, letting simulated time pass when the elevator holds back.</summary>
    private static List<Request> DrainByHand(ElevatorHarness h)
    {
        var order = new List<Request>();
        while (h.HeldCount > 0)
        {
            Request? request = h.DispatchOne();
            if (request is not null)
            {
                order.Add(request);
                continue;
            }
            if (!h.Simulation.Step())
                throw new InvalidOperationException($"{h.Elevator.Name} holds {h.HeldCount} request(s) and nothing is scheduled");
        }
        return order;
    }

    private static void StartMixedWorkload(ElevatorHarness h, long requestsPerProcess)
    {
        long region = h.Options.CapacitySectors / 8;
        _ = new WorkloadProcess(h, 1, new WorkloadSpec { Op = BioOp.Read, Pattern = AccessPattern.Sequential, RegionStart = 0, RegionSectors = region, MaxRequests = requestsPerProcess });
        _ = new WorkloadProcess(h, 2, new WorkloadSpec { Op = BioOp.Read, Pattern = AccessPattern.Random, RegionStart = region, RegionSectors = region, RequestSectors = 8, IoDepth = 4, MaxRequests = requestsPerProcess });
        _ = new WorkloadProcess(h, 3, new WorkloadSpec { Op = BioOp.Write, Pattern = AccessPattern.Sequential, RegionStart = 2 * region, RegionSectors = region, IoDepth = 8, MaxRequests = requestsPerProcess });
        _ = new WorkloadProcess(h, 4, new WorkloadSpec { Op = BioOp.Write, Flags = BioFlags.Sync, Pattern = AccessPattern.Random, RegionStart = 3 * region, RegionSectors = region, RequestSectors = 16, ThinkTime = SimTime.Millisecond, MaxRequests = requestsPerProcess });
        _ = new WorkloadProcess(h, 5, new WorkloadSpec { Op = BioOp.Discard, Pattern = AccessPattern.Random, RegionStart = 4 * region, RegionSectors = region, RequestSectors = 2048, ThinkTime = 5 * SimTime.Millisecond, MaxRequests = requestsPerProcess / 4 });
    }

    [Fact]
    public void Every_inserted_request_is_dispatched_and_completed_exactly_once()
    {
        var h = NewHarness(new HarnessOptions { QueueDepth = 4 });
        StartMixedWorkload(h, requestsPerProcess: 60);
        h.RunToIdle();

        Assert.Equal(4 * 60 + 15, h.Inserted);
        Assert.Equal(h.Inserted, h.Dispatched);
        Assert.Equal(h.Inserted, h.CompletedCount);
    }

    [Fact]
    public void Statistics_count_every_dispatch_by_operation_and_every_completion()
    {
        var h = NewHarness(new HarnessOptions { QueueDepth = 4 });
        StartMixedWorkload(h, requestsPerProcess: 40);
        h.RunToIdle();

        var stats = h.Elevator.Statistics.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(2 * 40, stats["dispatched_reads"]);
        Assert.Equal(2 * 40, stats["dispatched_writes"]);
        Assert.Equal(10, stats["dispatched_discards"]);
        Assert.Equal(h.Inserted, stats["inserted"]);
        Assert.Equal(h.CompletedCount, stats["completed"]);
    }

    [Fact]
    public void HasPending_is_true_exactly_while_requests_are_held()
    {
        var h = NewHarness();
        h.AutoDispatch = false;
        Assert.False(h.Elevator.HasPending);
        Assert.Null(h.Elevator.Dispatch());

        Held(h, BioOp.Read, 1000, 8, 1);
        Held(h, BioOp.Write, 900, 8, 2);
        Held(h, BioOp.Read, 5000, 8, 3);
        Assert.True(h.Elevator.HasPending);

        List<Request> order = DrainByHand(h); // the harness checks HasPending after every dispatch attempt
        Assert.Equal(3, order.Count);
        Assert.False(h.Elevator.HasPending);
    }

    [Fact]
    public void A_request_inserted_at_head_goes_next_and_later_head_inserts_go_first()
    {
        var h = NewHarness();
        h.AutoDispatch = false;
        Held(h, BioOp.Read, 1000, 8, 1);
        Held(h, BioOp.Read, 2000, 8, 1);
        Held(h, BioOp.Write, 3000, 8, 2);

        Request first = h.Rent(BioOp.Read, 900_000, 8, 7);
        h.Submit(first, atHead: true);
        Assert.Same(first, h.DispatchOne());

        Request older = h.Rent(BioOp.Write, 800_000, 8, 7);
        Request newer = h.Rent(BioOp.Read, 700_000, 8, 7);
        h.Submit(older, atHead: true);
        h.Submit(newer, atHead: true);
        Assert.Same(newer, h.DispatchOne());
        Assert.Same(older, h.DispatchOne());

        Assert.Equal(3, DrainByHand(h).Count);
    }

    [Fact]
    public void A_front_merge_refiles_the_request_which_is_then_dispatched_once_at_its_new_start()
    {
        var h = NewHarness();
        h.AutoDispatch = false;
        Held(h, BioOp.Read, 10_000, 8, 1);
        Held(h, BioOp.Read, 20_000, 8, 1);
        Held(h, BioOp.Read, 30_000, 8, 1);
        Request moved = Held(h, BioOp.Read, 50_000, 8, 1);
        var bio = new Bio(h.Simulation);
        bio.Reset(BioOp.Read, 100, processId: 1);
        bio.SectorCount = 49_900;

        bool merged = h.TryMergeBio(moved, bio, MergeKind.Front);

        List<Request> order = DrainByHand(h);
        Assert.Equal(4, order.Count);
        Assert.Contains(moved, order);
        if (merged)
            Assert.Equal((100L, 49_908), (moved.Sector, moved.SectorCount));
    }

    [Fact]
    public void A_back_merge_grows_the_held_request_without_losing_it()
    {
        var h = NewHarness();
        h.AutoDispatch = false;
        Request grown = Held(h, BioOp.Write, 1000, 8, 1);
        Held(h, BioOp.Write, 5000, 8, 1);
        var bio = new Bio(h.Simulation);
        bio.Reset(BioOp.Write, 1008, processId: 1);
        bio.AddSegment(new BioSegment(0x10000, 4096));

        Assert.True(h.TryMergeBio(grown, bio, MergeKind.Back));

        List<Request> order = DrainByHand(h);
        Assert.Equal(2, order.Count);
        Assert.Equal(16, grown.SectorCount);
    }

    [Fact]
    public void Merging_two_held_requests_dispatches_the_survivor_with_both_ranges_and_never_the_absorbed_one()
    {
        var h = NewHarness();
        h.AutoDispatch = false;
        Request absorbed = Held(h, BioOp.Read, 1008, 8, 1); // inserted first: the older deadline
        Held(h, BioOp.Read, 9000, 8, 1);
        Request survivor = Held(h, BioOp.Read, 1000, 8, 1);

        h.MergeRequests(survivor, absorbed);

        List<Request> order = DrainByHand(h); // the harness fails if the absorbed request comes out
        Assert.Equal(2, order.Count);
        Assert.Contains(survivor, order);
        Assert.Equal(16, survivor.SectorCount);
    }

    [Fact]
    public void A_flush_goes_out_after_every_write_inserted_before_it_and_before_every_write_inserted_after_it()
    {
        var h = NewHarness(new HarnessOptions { QueueDepth = 1, RecordDispatches = true });
        h.AutoDispatch = false;
        var random = new SimRandom(7);
        var before = new List<long>();
        var after = new List<long>();
        for (int i = 0; i < 6; i++)
            before.Add(h.IdOf(Held(h, BioOp.Write, random.NextInt64(1 << 20) * 8, 8, 1 + i % 3)));
        long flush = h.IdOf(Held(h, BioOp.Flush, 0, 0, 4));
        for (int i = 0; i < 4; i++)
            after.Add(h.IdOf(Held(h, BioOp.Write, random.NextInt64(1 << 20) * 8, 8, 1 + i % 3, i == 0 ? BioFlags.Sync : BioFlags.None)));
        for (int i = 0; i < 3; i++)
            Held(h, BioOp.Read, random.NextInt64(1 << 20) * 8, 8, 5);
        long fuaBarrier = h.IdOf(Held(h, BioOp.Write, 64, 8, 6, BioFlags.Preflush | BioFlags.Fua));
        long last = h.IdOf(Held(h, BioOp.Write, 128, 8, 6));

        h.AutoDispatch = true;
        h.Pump();
        h.RunToIdle();

        List<long> order = h.Dispatches.Select(d => d.Id).ToList();
        int flushAt = order.IndexOf(flush);
        Assert.All(before, id => Assert.True(order.IndexOf(id) < flushAt, $"write {id} went after the flush"));
        Assert.All(after, id => Assert.True(order.IndexOf(id) > flushAt, $"write {id} passed the flush"));
        Assert.All(after, id => Assert.True(order.IndexOf(id) < order.IndexOf(fuaBarrier), $"write {id} passed the preflush write"));
        Assert.True(order.IndexOf(last) > order.IndexOf(fuaBarrier));
    }

    [Fact]
    public void A_requeued_request_is_served_again_and_gives_back_what_it_was_charged()
    {
        var h = NewHarness(new HarnessOptions { QueueDepth = 8 });
        h.AutoDispatch = false;
        var random = new SimRandom(3);
        // More requeues than any scheduler has tokens for a kind (kyber: 256 reads, 128 writes): a leak would stall.
        for (int i = 0; i < 600; i++)
            Held(h, i % 3 == 0 ? BioOp.Write : BioOp.Read, random.NextInt64(1 << 20) * 8, 8, i % 4);

        int requeues = 0;
        while (h.HeldCount > 0)
        {
            Request? request = h.Take();
            if (request is null)
            {
                Assert.True(h.Simulation.Step(), $"{h.Elevator.Name} holds {h.HeldCount} request(s) and nothing is scheduled");
                continue;
            }
            if (request.Retries == 0)
            {
                h.Requeue(request);
                requeues++;
            }
            else
            {
                while (!h.Device.CanAccept)
                    Assert.True(h.Simulation.Step());
                h.IssueTaken(request);
            }
        }
        h.AutoDispatch = true;
        h.RunToIdle();
        Assert.Equal(600, requeues);

        // Nothing stayed charged: a fresh load of the same size goes through.
        StartMixedWorkload(h, requestsPerProcess: 60);
        h.RunToIdle();
        Assert.Equal(h.Inserted - 600, h.CompletedCount);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Seeded_random_inserts_merges_flushes_and_head_inserts_lose_and_duplicate_nothing(ulong seed)
    {
        var random = new SimRandom(seed);
        var h = NewHarness(new HarnessOptions
        {
            QueueDepth = 1 + random.NextInt32(8),
            Rotational = random.NextInt32(2) == 0,
            Seed = seed,
        });
        var bio = new Bio(h.Simulation);
        for (int step = 0; step < 600; step++)
        {
            int action = random.NextInt32(100);
            int pid = random.NextInt32(6);
            long sector = random.NextInt64(1 << 22) * 8;
            int count = 8 * (1 + random.NextInt32(32));
            if (action < 45)
            {
                (BioOp op, BioFlags flags) = RandomKind(random);
                Held(h, op, sector, count, pid, flags);
                if (random.NextInt32(4) == 0 && op != BioOp.Flush)
                    Held(h, op, sector + count, count, pid, flags); // an adjacent pair, to merge later
            }
            else if (action < 50)
            {
                h.Submit(h.Rent(BioOp.Read, sector, count, pid), atHead: true);
            }
            else if (action < 65 && h.HeldCount > 0)
            {
                Request target = h.HeldRequests[random.NextInt32(h.HeldCount)];
                if (target.Op is BioOp.Read or BioOp.Write && target.Sector > count)
                {
                    MergeKind kind = random.NextInt32(2) == 0 ? MergeKind.Back : MergeKind.Front;
                    bio.Reset(target.Op, kind == MergeKind.Back ? target.EndSector : target.Sector - count, target.Flags, target.ProcessId);
                    bio.SectorCount = count;
                    h.TryMergeBio(target, bio, kind);
                }
            }
            else if (action < 75)
            {
                MergeAdjacentPair(h);
            }
            else
            {
                h.RunUntil(h.Now + random.NextInt64(3 * SimTime.Millisecond));
            }
        }
        h.RunToIdle();

        Assert.Equal(h.Inserted, h.Dispatched + h.MergedAway);
        Assert.Equal(h.Dispatched, h.CompletedCount);
    }

    private static (BioOp, BioFlags) RandomKind(SimRandom random) => random.NextInt32(20) switch
    {
        < 9 => (BioOp.Read, BioFlags.None),
        < 13 => (BioOp.Write, BioFlags.None),
        < 15 => (BioOp.Write, BioFlags.Sync),
        16 => (BioOp.Discard, BioFlags.None),
        17 => (BioOp.Flush, BioFlags.None),
        18 => (BioOp.Write, BioFlags.Preflush | BioFlags.Fua),
        _ => (BioOp.Read, BioFlags.Meta),
    };

    private static void MergeAdjacentPair(ElevatorHarness h)
    {
        IReadOnlyList<Request> held = h.HeldRequests;
        for (int i = 0; i < held.Count; i++)
        {
            Request a = held[i];
            if (ElevatorBase.IsBarrier(a) || a.Op == BioOp.Flush)
                continue;
            for (int j = 0; j < held.Count; j++)
            {
                Request b = held[j];
                if (i != j && b.Sector == a.EndSector && b.Op == a.Op && b.Flags == a.Flags && b.ProcessId == a.ProcessId)
                {
                    h.MergeRequests(a, b);
                    return;
                }
            }
        }
    }

    [Fact]
    public void Two_runs_of_the_same_workload_dispatch_the_same_requests_at_the_same_times()
    {
        IReadOnlyList<DispatchRecord> Run()
        {
            var h = NewHarness(new HarnessOptions { QueueDepth = 4, RecordDispatches = true, Seed = 99 });
            StartMixedWorkload(h, requestsPerProcess: 80);
            h.RunToIdle();
            return h.Dispatches;
        }

        IReadOnlyList<DispatchRecord> first = Run();
        Assert.Equal(first, Run());
    }

    [Fact]
    public void Every_tunable_shows_name_unit_default_and_value_and_rejects_nonsense_by_name()
    {
        IElevator elevator = CreateElevator();
        foreach (ElevatorTunable tunable in elevator.Tunables)
        {
            Assert.False(string.IsNullOrWhiteSpace(tunable.Description));
            Assert.False(string.IsNullOrWhiteSpace(tunable.Value));
            Assert.False(elevator.TrySetTunable(tunable.Name, "bogus!", out string error));
            Assert.Contains(tunable.Name, error);
            Assert.Contains("bogus!", error);
            Assert.Contains("valid", error);
            Assert.True(elevator.TrySetTunable(tunable.Name, tunable.Default, out error), error);
        }
        Assert.False(elevator.TrySetTunable("no_such_knob", "1", out string unknown));
        Assert.Contains(elevator.Name, unknown);
        Assert.Contains("no_such_knob", unknown);
    }

    [Fact]
    public void The_registry_makes_it_by_its_name()
    {
        IElevator elevator = CreateElevator();
        Assert.True(ElevatorRegistry.TryCreate(elevator.Name, out IElevator? created, out string error), error);
        Assert.IsType(elevator.GetType(), created);
        Assert.Contains(elevator.Name, ElevatorRegistry.Names);
    }

    [Fact]
    public void Steady_state_insert_dispatch_and_complete_allocate_nothing()
    {
        var h = NewHarness(new HarnessOptions { Track = false, QueueDepth = 8 });
        StartMixedWorkload(h, requestsPerProcess: long.MaxValue);
        h.RunUntil(6 * SimTime.Second); // warm up: pools, trees, queues and the event heap reach their size
        long completed = h.CompletedCount;

        long until = 6 * SimTime.Second;
        long allocated = AllocationMeter.LeastOf(3, () =>
        {
            until += 2 * SimTime.Second;
            h.RunUntil(until);
        });

        Assert.True(h.CompletedCount - completed > 500, $"only {h.CompletedCount - completed} completions measured");
        Assert.Equal(0, allocated);
    }
}
