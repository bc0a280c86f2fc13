using Hardware.Emulator.Simulation;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Simulation;

public class SimulationTests
{
    [Fact]
    public void Events_fire_in_time_order_and_ties_in_scheduling_order()
    {
        var sim = new Sim();
        var fired = new List<string>();
        sim.ScheduleAt(30, _ => fired.Add("c"), null);
        sim.ScheduleAt(10, _ => fired.Add("a"), null);
        sim.ScheduleAt(30, _ => fired.Add("d"), null);
        sim.ScheduleAt(20, _ => fired.Add("b"), null);
        sim.Run();
        Assert.Equal(["a", "b", "c", "d"], fired);
        Assert.Equal(30, sim.Now);
    }

    [Fact]
    public void A_process_delay_advances_virtual_time_only()
    {
        var sim = new Sim();
        Task<long> task = sim.Spawn(async () =>
        {
            await sim.Delay(SimTime.FromMilliseconds(5));
            await sim.Delay(SimTime.FromMilliseconds(7));
            return sim.Now;
        });
        Assert.Equal(12_000_000, sim.RunUntilComplete(task));
    }

    [Fact]
    public void Waiting_on_something_that_never_completes_is_reported_as_deadlock()
    {
        var sim = new Sim();
        var never = new SimCompletion<int>(sim);
        Task task = sim.Spawn(async () => await never.Task);
        Assert.Throws<SimulationDeadlockException>(() => sim.RunUntilComplete(task));
    }

    [Fact]
    public void An_exception_in_a_process_stops_the_simulation()
    {
        var sim = new Sim();
        sim.Spawn(async () =>
        {
            await sim.Delay(10);
            throw new InvalidOperationException("boom");
        });
        var error = Assert.Throws<SimulationProcessException>(() => sim.Run());
        Assert.Contains("boom", error.Message);
    }

    [Fact]
    public void A_completion_wakes_its_waiter_as_an_event_not_inline()
    {
        var sim = new Sim();
        var completion = new SimCompletion<int>(sim);
        var order = new List<string>();
        sim.Spawn(async () =>
        {
            int value = await completion.Task;
            order.Add($"woken {value}");
        });
        sim.ScheduleAt(100, _ =>
        {
            completion.SetResult(7);
            order.Add("completer continues");
        }, null);
        sim.Run();
        Assert.Equal(["completer continues", "woken 7"], order);
    }

    [Fact]
    public void A_delay_resumes_its_process_in_its_own_expiry_event_in_scheduling_order()
    {
        var sim = new Sim();
        var order = new List<string>();
        Task process = sim.Spawn(async () =>
        {
            await sim.Delay(10);
            order.Add("process resumed");
        });
        sim.RunUntil(5);
        sim.ScheduleAt(10, _ => order.Add("event scheduled after the delay"), null);
        long before = sim.EventsFired;
        sim.RunUntilComplete(process);
        sim.Run();
        Assert.Equal(["process resumed", "event scheduled after the delay"], order);
        Assert.Equal(2, sim.EventsFired - before);
    }

    [Fact]
    public void A_rearmed_timer_fires_once_at_its_last_time()
    {
        var sim = new Sim();
        var fires = new List<long>();
        var timer = new SimTimer(sim, () => fires.Add(sim.Now));
        timer.ArmAt(100);
        timer.ArmAt(250);
        sim.Run();
        Assert.Equal([250L], fires);
    }

    [Fact]
    public void Random_streams_depend_only_on_seed_and_name()
    {
        var a = new Sim(seed: 42).CreateRandom("disk");
        var b = new Sim(seed: 42).CreateRandom("disk");
        var c = new Sim(seed: 42).CreateRandom("other");
        ulong[] first = [a.NextUInt64(), a.NextUInt64(), a.NextUInt64()];
        Assert.Equal(first, new[] { b.NextUInt64(), b.NextUInt64(), b.NextUInt64() });
        Assert.NotEqual(first[0], c.NextUInt64());
    }

    [Fact]
    public void Many_processes_with_random_delays_give_the_same_event_log_twice()
    {
        static (ulong hash, long count, long end) RunOnce()
        {
            var sim = new Sim(seed: 7);
            sim.EnableEventLog();
            var tasks = new List<Task>();
            for (int p = 0; p < 20; p++)
            {
                SimRandom random = sim.CreateRandom($"process-{p}");
                tasks.Add(sim.Spawn(async () =>
                {
                    for (int i = 0; i < 200; i++)
                        await sim.Delay(random.NextInt64(1_000_000));
                }));
            }
            sim.RunUntilComplete(Task.WhenAll(tasks));
            return (sim.Log!.Hash, sim.Log.Count, sim.Now);
        }

        var first = RunOnce();
        var second = RunOnce();
        Assert.Equal(first, second);
        Assert.True(first.count > 4000);
    }
}
