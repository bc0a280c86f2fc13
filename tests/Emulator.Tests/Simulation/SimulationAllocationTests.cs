using Hardware.Emulator.Simulation;
using Hardware.Testing;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Simulation;

public class SimulationAllocationTests
{
    private sealed class Counter : ISimEventHandler
    {
        public long Count;

        public void OnEvent(long argument) => Count++;
    }

    [Fact]
    public void Scheduling_and_firing_events_allocates_nothing_in_steady_state()
    {
        var sim = new Sim();
        var counter = new Counter();
        void Burst()
        {
            for (int i = 0; i < 5_000; i++)
                sim.Schedule(i % 97, counter, i);
            sim.Run();
        }

        Burst();
        long allocated = AllocationMeter.LeastOf(3, Burst);
        Assert.Equal(20_000, counter.Count);
        Assert.Equal(0, allocated);
    }

    private static readonly Action<object?> s_count = static c => ((Counter)c!).Count++;

    [Fact]
    public void Posting_events_for_the_current_time_allocates_nothing_in_steady_state()
    {
        var sim = new Sim();
        var counter = new Counter();
        void Burst()
        {
            for (int i = 0; i < 5_000; i++)
                sim.Post(s_count, counter);
            sim.Run();
        }

        Burst();
        long allocated = AllocationMeter.LeastOf(3, Burst);
        Assert.Equal(20_000, counter.Count);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_process_parked_and_resumed_by_delays_allocates_nothing_per_wakeup()
    {
        var sim = new Sim();
        var meter = new AllocationMeter();
        Task process = sim.Spawn(async () =>
        {
            for (int i = 0; i < 100; i++)
                await sim.Delay(10);
            for (int window = 0; window < 4; window++)
            {
                meter.Begin();
                for (int i = 0; i < 2_500; i++)
                    await sim.Delay(10);
                meter.End();
            }
        });
        sim.RunUntilComplete(process);
        Assert.Equal(4, meter.Windows);
        Assert.Equal(0, meter.Least);
    }
}
