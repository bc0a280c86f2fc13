using BenchmarkDotNet.Attributes;
using Hardware.Emulator.Simulation;

namespace Hardware.Bench;

/// <summary>The simulation kernel's hot operations: an event through the queue (future or due now), and a process parked and resumed.</summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private const int Operations = 10_000;

    private Simulation _simulation = null!;
    private CountingHandler _handler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _simulation = new Simulation(seed: 1);
        _handler = new CountingHandler();
        // Warm the heap and the delay pool so the measured loop runs in steady state.
        ScheduleAndFire();
        PostAndFire();
        ParkAndResume();
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void ScheduleAndFire()
    {
        for (int i = 0; i < Operations; i++)
            _simulation.Schedule(i & 63, _handler, i);
        _simulation.Run();
    }

    /// <summary>Events due at the current time (posted continuations, zero-delay hops): the queue's FIFO ring, no heap.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public void PostAndFire()
    {
        for (int i = 0; i < Operations; i++)
            _simulation.Post(s_count, _handler);
        _simulation.Run();
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void ParkAndResume() => _simulation.RunUntilComplete(DelayLoop(_simulation));

    private static async Task DelayLoop(Simulation simulation)
    {
        for (int i = 0; i < Operations; i++)
            await simulation.Delay(10);
    }

    private static readonly Action<object?> s_count = static h => ((CountingHandler)h!).Count++;

    private sealed class CountingHandler : ISimEventHandler
    {
        public long Count;

        public void OnEvent(long argument) => Count++;
    }
}
