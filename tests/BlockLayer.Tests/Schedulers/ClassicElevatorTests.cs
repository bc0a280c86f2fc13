using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Schedulers.Harness;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers;

/// <summary>The defining property of each teaching scheduler, checked at every dispatch of a changing queue.</summary>
public class ClassicElevatorTests
{
    private const long Capacity = 1_000_000;

    /// <summary>
    /// Keeps about <paramref name="backlog"/> random requests queued, dispatching one at a time and adding one
    /// after each dispatch; calls <paramref name="check"/> with the head before, the request chosen and what was
    /// held at that moment.
    /// </summary>
    private static void Churn(IElevator elevator, int backlog, int dispatches, Action<long, Request, IReadOnlyList<Request>> check)
    {
        var h = new ElevatorHarness(elevator, new HarnessOptions { CapacitySectors = Capacity, InitialHead = Capacity / 2, QueueDepth = 1 });
        h.AutoDispatch = false;
        var random = new SimRandom(11);
        for (int i = 0; i < backlog; i++)
            h.Submit(h.Rent(BioOp.Read, random.NextInt64(Capacity / 8) * 8, 8, 1 + i % 4));
        for (int i = 0; i < dispatches; i++)
        {
            long head = h.Queue.HeadPosition;
            var held = h.HeldRequests.ToList();
            Request request = h.DispatchOne()!;
            check(head, request, held);
            h.RunToIdleOfDevice();
            h.Submit(h.Rent(i % 3 == 0 ? BioOp.Write : BioOp.Read, random.NextInt64(Capacity / 8) * 8, 8, 1 + i % 4));
        }
    }

    [Fact]
    public void Sstf_always_picks_the_request_nearest_the_head()
    {
        Churn(new SstfElevator(), 64, 400, (head, chosen, held) =>
        {
            long nearest = held.Min(r => Math.Abs(r.Sector - head));
            Assert.Equal(nearest, Math.Abs(chosen.Sector - head));
        });
    }

    [Fact]
    public void Clook_serves_in_ascending_order_only_and_jumps_back_to_the_lowest_request_when_none_is_ahead()
    {
        int wraps = 0;
        Churn(new CLookElevator(), 64, 400, (head, chosen, held) =>
        {
            if (chosen.Sector >= head)
            {
                Assert.Equal(held.Where(r => r.Sector >= head).Min(r => r.Sector), chosen.Sector);
                return;
            }
            wraps++;
            Assert.DoesNotContain(held, r => r.Sector >= head);
            Assert.Equal(held.Min(r => r.Sector), chosen.Sector);
        });
        Assert.InRange(wraps, 2, 100);
    }

    [Fact]
    public void Cscan_down_serves_in_descending_order_only_and_jumps_to_the_highest_request()
    {
        int wraps = 0;
        Churn(new CScanElevator(SweepDirection.Down), 64, 400, (head, chosen, held) =>
        {
            if (chosen.Sector <= head)
            {
                Assert.Equal(held.Where(r => r.Sector <= head).Max(r => r.Sector), chosen.Sector);
                return;
            }
            wraps++;
            Assert.DoesNotContain(held, r => r.Sector <= head);
            Assert.Equal(held.Max(r => r.Sector), chosen.Sector);
        });
        Assert.InRange(wraps, 2, 100);
    }

    [Theory]
    [InlineData("look")]
    [InlineData("scan")]
    public void Look_and_scan_reverse_only_when_nothing_is_left_in_the_sweep_direction(string name)
    {
        Assert.True(ElevatorRegistry.TryCreate(name, out IElevator? elevator, out string error), error);
        var sweep = (SweepElevator)elevator!;
        int reversals = 0;
        SweepDirection direction = sweep.Direction;
        Churn(sweep, 64, 400, (head, chosen, held) =>
        {
            bool up = direction == SweepDirection.Up;
            bool ahead = up ? chosen.Sector >= head : chosen.Sector <= head;
            if (!ahead)
            {
                reversals++;
                Assert.DoesNotContain(held, r => up ? r.Sector >= head : r.Sector <= head);
                Assert.Equal(up ? held.Max(r => r.Sector) : held.Min(r => r.Sector), chosen.Sector);
            }
            direction = sweep.Direction;
        });
        Assert.InRange(reversals, 2, 100);
    }

    [Fact]
    public void Scan_books_the_trip_to_the_disk_edge_that_look_saves()
    {
        long[] sectors = [600_000, 200_000, 800_000, 100_000];
        var scan = new ScanElevator();
        var look = new LookElevator();
        foreach (ArmElevator elevator in new ArmElevator[] { scan, look })
        {
            var h = new ElevatorHarness(elevator, new HarnessOptions { CapacitySectors = Capacity, InitialHead = 500_000, HeadOnRequestStart = true });
            h.AutoDispatch = false;
            foreach (long s in sectors)
                h.Submit(h.Rent(BioOp.Read, s, 8, 1));
            h.AutoDispatch = true;
            h.Pump();
            h.RunToIdle();
        }
        long edge = Capacity - 1;
        Assert.Equal((edge - 500_000) + (edge - 100_000), scan.ArmTravel);
        Assert.Equal((800_000 - 500_000) + (800_000 - 100_000), look.ArmTravel);
    }

    [Fact]
    public void The_sweep_direction_is_a_tunable_and_a_spec_can_set_it()
    {
        Assert.True(ElevatorRegistry.TryCreate("c-look:direction=down", out IElevator? elevator, out string error), error);
        Assert.Equal(SweepDirection.Down, ((SweepElevator)elevator!).Direction);
        Assert.Equal("down", elevator!.Tunables.Single(t => t.Name == "direction").Value);
        Assert.False(ElevatorRegistry.TryCreate("scan:direction=left", out _, out error));
        Assert.Equal("scan: direction=left: not a valid choice (valid up, down)", error);
    }
}
