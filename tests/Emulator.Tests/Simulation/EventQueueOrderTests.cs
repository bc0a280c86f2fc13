using Hardware.Emulator.Simulation;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Simulation;

/// <summary>
/// The event queue keeps future events in a heap and events due now in a FIFO ring; together they must fire in
/// exactly (time, sequence) order, the order a single heap gives.
/// </summary>
public class EventQueueOrderTests
{
    [Fact]
    public void Events_scheduled_for_now_fire_after_the_events_already_due_now()
    {
        var sim = new Sim();
        var fired = new List<string>();
        sim.ScheduleAt(100, _ =>
        {
            fired.Add("first at 100");
            sim.Post(_ => fired.Add("posted at 100"), null);
            sim.ScheduleAt(100, _ => fired.Add("scheduled for now at 100"), null);
        }, null);
        sim.ScheduleAt(100, _ => fired.Add("second at 100"), null);
        sim.ScheduleAt(101, _ => fired.Add("at 101"), null);
        sim.Run();
        Assert.Equal(["first at 100", "second at 100", "posted at 100", "scheduled for now at 100", "at 101"], fired);
    }

    [Fact]
    public void A_random_mix_of_delays_fires_in_time_then_scheduling_order()
    {
        var sim = new Sim();
        var random = new Random(7);
        var expected = new List<(long Time, long Order)>();
        var fired = new List<(long Time, long Order)>();
        long order = 0;
        void Spawn(int depth)
        {
            int children = random.Next(0, 4);
            for (int i = 0; i < children; i++)
            {
                // Half of the events are due now (the ring), the rest up to 20 ns ahead (the heap).
                long delay = random.Next(2) == 0 ? 0 : random.Next(1, 21);
                long at = sim.Now + delay;
                long mine = order++;
                expected.Add((at, mine));
                int nextDepth = depth + 1;
                sim.ScheduleAt(at, _ =>
                {
                    fired.Add((sim.Now, mine));
                    if (nextDepth < 12)
                        Spawn(nextDepth);
                }, null);
            }
        }

        for (int i = 0; i < 50; i++)
            sim.ScheduleAt(random.Next(0, 10), _ => Spawn(0), null);
        sim.Run();
        // Scheduling order is the order the events were created, so the reference is a stable sort by time.
        Assert.True(fired.Count > 1000);
        Assert.Equal(expected.OrderBy(e => e.Time).ThenBy(e => e.Order), fired);
    }

    [Fact]
    public void More_events_due_now_than_the_ring_holds_keep_their_order()
    {
        var sim = new Sim();
        var fired = new List<int>();
        sim.ScheduleAt(5, _ =>
        {
            for (int i = 0; i < 1000; i++)
            {
                int n = i;
                sim.Post(_ => fired.Add(n), null);
            }
        }, null);
        sim.Run();
        Assert.Equal(Enumerable.Range(0, 1000), fired);
    }
}
