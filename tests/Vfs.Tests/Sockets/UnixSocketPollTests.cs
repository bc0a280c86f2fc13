using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Tests.Sockets;

public sealed class UnixSocketPollTests
{
    private readonly Simulation _sim = new(seed: 6);
    private readonly InMemoryUnixAddressSpace _space = new();

    [Fact]
    public void A_listener_polls_readable_when_a_connection_is_pending()
    {
        var listener = new UnixSocket(_sim);
        listener.Bind(_space, "/run/srv");
        listener.Listen(8);
        var poller = new Poller(_sim);
        long readyAt = -1;
        _sim.Spawn(async () =>
        {
            PollResult r = await poller.PollAsync([(listener, PollEvents.POLLIN)], Poller.Infinite);
            Assert.Equal(PollEvents.POLLIN, r[0]);
            readyAt = _sim.Now;
            Assert.True((await listener.AcceptAsync()).IsSuccess);
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(123);
            new UnixSocket(_sim).Connect(_space, "/run/srv");
        });
        _sim.Run();
        Assert.Equal(123, readyAt);
        Assert.Equal(PollEvents.None, listener.Readiness);
    }

    [Fact]
    public void Poll_over_a_pipe_and_a_socket_returns_whichever_becomes_ready_first()
    {
        var (pipeReader, pipeWriter) = Pipe.Create(_sim);
        var (a, b) = UnixSocket.CreatePair(_sim);
        var poller = new Poller(_sim);
        PollResult result = default;
        long at = -1;
        _sim.Spawn(async () =>
        {
            result = await poller.PollAsync([(pipeReader, PollEvents.POLLIN), (b, PollEvents.POLLIN)], 10_000);
            at = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(300);
            await a.WriteAsync(new byte[] { 1 });
            await _sim.Delay(300);
            await pipeWriter.WriteAsync(new byte[] { 1 });
        });
        _sim.Run();
        Assert.Equal(300, at);
        Assert.Equal(1, result.ReadyCount);
        Assert.Equal(PollEvents.None, result[0]);
        Assert.Equal(PollEvents.POLLIN, result[1]);
    }

    [Fact]
    public void A_peer_shutting_down_writing_wakes_a_poller_with_POLLRDHUP()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        var poller = new Poller(_sim);
        PollResult result = default;
        _sim.Spawn(async () => result = await poller.PollAsync([(b, PollEvents.POLLRDHUP)], Poller.Infinite));
        _sim.Spawn(async () =>
        {
            await _sim.Delay(50);
            a.Shutdown(ShutdownHow.Write);
        });
        _sim.Run();
        Assert.Equal(PollEvents.POLLRDHUP, result[0]);
        Assert.Equal(50, _sim.Now);
    }

    [Fact]
    public void A_connected_socket_with_a_full_buffer_is_not_writable_until_the_peer_reads()
    {
        var (a, b) = UnixSocket.CreatePair(_sim, new UnixSocketOptions { BufferBytes = 8192 });
        a.NonBlocking = true;
        _sim.RunUntilComplete(Body());
        Assert.Equal(PollEvents.POLLOUT, a.Readiness);

        async Task Body()
        {
            Assert.Equal(TransferResult.Success(8192), await a.WriteAsync(new byte[8192]));
            Assert.Equal(PollEvents.None, a.Readiness);
            Assert.Equal(PollEvents.POLLIN | PollEvents.POLLOUT, b.Readiness);
            await b.ReadAsync(new byte[5000]);
        }
    }

    [Fact]
    public void An_unconnected_socket_polls_like_Linux_and_a_closed_one_reports_POLLNVAL()
    {
        var socket = new UnixSocket(_sim);
        Assert.Equal(PollEvents.POLLOUT | PollEvents.POLLHUP, socket.Readiness);
        socket.Close();
        Assert.Equal(PollEvents.POLLNVAL, socket.Readiness);
    }
}
