using Hardware.Emulator.Simulation;
using Hardware.Testing;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Tests.Sockets;

public sealed class UnixSocketSteadyStateTests
{
    [Fact]
    public void A_request_reply_loop_over_a_socketpair_allocates_nothing_in_steady_state()
    {
        var sim = new Simulation(seed: 1);
        var (client, server) = UnixSocket.CreatePair(sim);
        const int Warmup = 100, Window = 500, Windows = 4;
        var meter = new AllocationMeter();
        sim.Spawn(async () =>
        {
            var buffer = new byte[256];
            while (true)
            {
                TransferResult r = await server.ReadAsync(buffer);
                if (r.Bytes == 0)
                    break;
                await sim.Delay(50);
                await server.WriteAsync(buffer.AsMemory(0, r.Bytes));
            }
        });
        sim.Spawn(async () =>
        {
            var request = new byte[200];
            var reply = new byte[256];
            for (int i = 0; i < Warmup; i++)
            {
                await client.WriteAsync(request);
                await client.ReadAsync(reply);
            }
            for (int window = 0; window < Windows; window++)
            {
                meter.Begin();
                for (int i = 0; i < Window; i++)
                {
                    await client.WriteAsync(request);
                    await client.ReadAsync(reply);
                }
                meter.End();
            }
            client.Shutdown(ShutdownHow.Write);
        });
        sim.Run();
        Assert.Equal(Windows, meter.Windows);
        Assert.Equal(0, meter.Least);
    }

    [Fact]
    public void The_same_socket_workload_twice_gives_the_same_event_log_hash()
    {
        Assert.Equal(Workload(seed: 31), Workload(seed: 31));
        Assert.NotEqual(Workload(seed: 31), Workload(seed: 32));
    }

    private static (ulong Hash, long Events, long Now) Workload(ulong seed)
    {
        var sim = new Simulation(seed);
        EventLog log = sim.EnableEventLog();
        var space = new InMemoryUnixAddressSpace();
        var listener = new UnixSocket(sim);
        listener.Bind(space, "/run/echo");
        listener.Listen(2);
        const int Clients = 4;
        sim.Spawn(async () =>
        {
            for (int served = 0; served < Clients; served++)
            {
                UnixSocket conn = (await listener.AcceptAsync()).Socket!;
                _ = sim.Spawn(async () =>
                {
                    var buffer = new byte[4096];
                    TransferResult r;
                    while ((r = await conn.ReadAsync(buffer)).Bytes > 0)
                        await conn.WriteAsync(buffer.AsMemory(0, r.Bytes));
                    conn.Close();
                });
            }
            listener.Close();
        });
        for (int c = 0; c < Clients; c++)
        {
            int id = c;
            sim.Spawn(async () =>
            {
                SimRandom random = sim.CreateRandom($"client{id}");
                await sim.Delay(random.NextInt64(1_000));
                var socket = new UnixSocket(sim);
                while (!socket.Connect(space, "/run/echo").IsSuccess)
                    await sim.Delay(100);
                var poller = new Poller(sim);
                var data = new byte[3000];
                var reply = new byte[3000];
                for (int i = 0; i < 20; i++)
                {
                    await socket.WriteAsync(data.AsMemory(0, 1 + random.NextInt32(data.Length)));
                    await poller.PollAsync([(socket, PollEvents.POLLIN)], 5_000);
                    await socket.ReadAsync(reply);
                    await sim.Delay(random.NextInt64(500));
                }
                socket.Close();
            });
        }
        sim.Run();
        return (log.Hash, log.Count, sim.Now);
    }
}
