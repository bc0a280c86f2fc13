using Hardware.Emulator.Simulation;
using Hardware.Testing;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Tests.Pipes;

public sealed class PipeSteadyStateTests
{
    [Fact]
    public void Blocking_hand_offs_between_two_processes_allocate_nothing_in_steady_state()
    {
        var sim = new Simulation(seed: 1);
        var (reader, writer) = Pipe.Create(sim, capacityBytes: PipeLimits.PipeBuf);
        var chunk = new byte[3000];
        var buffer = new byte[1000];
        const int Warmup = 200, Window = 500, Windows = 4, Measured = Window * Windows;
        var meter = new AllocationMeter();
        sim.Spawn(async () =>
        {
            for (int i = 0; i < Warmup; i++)
                await writer.WriteAsync(chunk);
            for (int window = 0; window < Windows; window++)
            {
                meter.Begin();
                for (int i = 0; i < Window; i++)
                    await writer.WriteAsync(chunk);
                meter.End();
            }
            writer.Close();
        });
        sim.Spawn(async () =>
        {
            while ((await reader.ReadAsync(buffer)).Bytes > 0)
                await sim.Delay(10);
        });
        sim.Run();

        Assert.True(reader.Pipe.Stats.WriterSleeps > Measured / 2, "the writer should have blocked on most writes");
        Assert.Equal(Windows, meter.Windows);
        Assert.Equal(0, meter.Least);
    }

    [Fact]
    public void Non_blocking_reads_writes_and_zero_timeout_polls_allocate_nothing()
    {
        var sim = new Simulation(seed: 1);
        var (reader, writer) = Pipe.Create(sim);
        reader.NonBlocking = writer.NonBlocking = true;
        var poller = new Poller(sim);
        var entries = new (IPollable, PollEvents)[] { (reader, PollEvents.POLLIN), (writer, PollEvents.POLLOUT) };
        var data = new byte[512];
        var buffer = new byte[512];
        Memory<byte> bufferMemory = buffer;
        ReadOnlyMemory<byte> dataMemory = data;

        void Round()
        {
            _ = poller.PollAsync(entries, 0).Result;
            _ = writer.WriteAsync(dataMemory).Result;
            _ = reader.ReadAsync(bufferMemory).Result;
            _ = reader.ReadAsync(bufferMemory).Result;   // EAGAIN
        }

        for (int i = 0; i < 100; i++)
            Round();
        long allocated = AllocationMeter.LeastOf(4, () =>
        {
            for (int i = 0; i < 2_500; i++)
                Round();
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_same_pipe_workload_twice_gives_the_same_event_log_hash()
    {
        Assert.Equal(Workload(seed: 21), Workload(seed: 21));
        Assert.NotEqual(Workload(seed: 21), Workload(seed: 22));
    }

    private static (ulong Hash, long Events, long Now) Workload(ulong seed)
    {
        var sim = new Simulation(seed);
        EventLog log = sim.EnableEventLog();
        var (reader, writer) = Pipe.Create(sim, capacityBytes: 2 * PipeLimits.PipeBuf);
        for (int w = 0; w < 3; w++)
        {
            int id = w;
            if (id > 0)
                writer.Duplicate();
            sim.Spawn(async () =>
            {
                SimRandom random = sim.CreateRandom($"w{id}");
                var data = new byte[6000];
                for (int i = 0; i < 50; i++)
                {
                    await writer.WriteAsync(data.AsMemory(0, 1 + random.NextInt32(data.Length)));
                    await sim.Delay(random.NextInt64(1_000));
                }
                writer.Close();
            });
        }
        sim.Spawn(async () =>
        {
            SimRandom random = sim.CreateRandom("r");
            var poller = new Poller(sim);
            var buffer = new byte[5000];
            while (true)
            {
                await poller.PollAsync([(reader, PollEvents.POLLIN)], 400);
                await sim.Delay(random.NextInt64(700));
                if ((await reader.ReadAsync(buffer)).Bytes == 0)
                    break;
            }
        });
        sim.Run();
        return (log.Hash, log.Count, sim.Now);
    }
}
