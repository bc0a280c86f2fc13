using System.Text;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Tests.Sockets;

public sealed class UnixSocketTests
{
    private readonly Simulation _sim = new(seed: 4);
    private readonly InMemoryUnixAddressSpace _space = new();

    [Fact]
    public void A_socketpair_echoes_between_two_processes()
    {
        var (client, server) = UnixSocket.CreatePair(_sim);
        string reply = "";
        long replyAt = -1;
        _sim.Spawn(async () =>
        {
            var buffer = new byte[64];
            while (true)
            {
                TransferResult r = await server.ReadAsync(buffer);
                if (r.Bytes == 0)
                    break;
                await _sim.Delay(1_000);
                await server.WriteAsync(buffer.AsMemory(0, r.Bytes));
            }
            server.Close();
        });
        _sim.Spawn(async () =>
        {
            await client.WriteAsync("hello"u8.ToArray());
            var buffer = new byte[64];
            TransferResult r = await client.ReadAsync(buffer);
            reply = Encoding.ASCII.GetString(buffer, 0, r.Bytes);
            replyAt = _sim.Now;
            client.Shutdown(ShutdownHow.Write);
            Assert.Equal(TransferResult.Success(0), await client.ReadAsync(buffer));
            client.Close();
        });
        _sim.Run();
        Assert.Equal("hello", reply);
        Assert.Equal(1_000, replyAt);
        Assert.Equal(UnixSocketState.Closed, server.State);
    }

    [Fact]
    public void Connect_then_accept_gives_a_connected_pair_that_carries_data_sent_before_accept()
    {
        var listener = new UnixSocket(_sim);
        Assert.True(listener.Bind(_space, "/run/srv").IsSuccess);
        Assert.True(listener.Listen(backlog: 4).IsSuccess);
        AcceptResult accepted = default;
        long acceptedAt = -1;
        var received = new byte[3];
        _sim.Spawn(async () =>
        {
            accepted = await listener.AcceptAsync();
            acceptedAt = _sim.Now;
            await accepted.Socket!.ReadAsync(received);
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(500);
            var client = new UnixSocket(_sim);
            Assert.Equal(SocketResult.Ok, client.Connect(_space, "/run/srv"));
            await client.WriteAsync(new byte[] { 7, 8, 9 });
        });
        _sim.Run();
        Assert.True(accepted.IsSuccess);
        Assert.Equal(500, acceptedAt);
        Assert.Equal(UnixSocketState.Connected, accepted.Socket!.State);
        Assert.Equal(new byte[] { 7, 8, 9 }, received);
    }

    [Fact]
    public void Connect_is_refused_when_nothing_is_bound_or_nobody_listens()
    {
        var client = new UnixSocket(_sim);
        Assert.Equal(Errno.ECONNREFUSED, client.Connect(_space, "/run/none").Errno);
        var bound = new UnixSocket(_sim);
        bound.Bind(_space, "/run/bound");
        SocketResult r = client.Connect(_space, "/run/bound");
        Assert.Equal(Errno.ECONNREFUSED, r.Errno);
        Assert.Contains("/run/bound", r.Message);
    }

    [Fact]
    public void The_backlog_admits_backlog_plus_one_pending_connections_then_refuses_like_Linux()
    {
        var listener = new UnixSocket(_sim);
        listener.Bind(_space, "/run/srv");
        listener.Listen(backlog: 2);
        for (int i = 0; i < 3; i++)
            Assert.True(new UnixSocket(_sim).Connect(_space, "/run/srv").IsSuccess);
        Assert.Equal(Errno.ECONNREFUSED, new UnixSocket(_sim).Connect(_space, "/run/srv").Errno);
        Assert.Equal(3, listener.PendingConnections);

        listener.NonBlocking = true;
        Assert.True(_sim.RunUntilComplete(listener.AcceptAsync().AsTask()).IsSuccess);
        Assert.True(new UnixSocket(_sim).Connect(_space, "/run/srv").IsSuccess);
    }

    [Fact]
    public void Accept_without_pending_connections_on_a_non_blocking_listener_fails_with_EAGAIN()
    {
        var listener = new UnixSocket(_sim) { NonBlocking = true };
        listener.Bind(_space, "/run/srv");
        listener.Listen(1);
        Assert.Equal(Errno.EAGAIN, _sim.RunUntilComplete(listener.AcceptAsync().AsTask()).Errno);
    }

    [Fact]
    public void Misordered_calls_fail_with_the_errno_Linux_gives()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        var fresh = new UnixSocket(_sim);
        var listener = new UnixSocket(_sim);
        listener.Bind(_space, "/run/srv");
        listener.Listen(1);

        Assert.Equal(Errno.EINVAL, a.Listen(1).Errno);                        // connected
        Assert.Equal(Errno.EINVAL, fresh.Listen(1).Errno);                    // unbound
        Assert.Equal(Errno.EISCONN, a.Connect(_space, "/run/srv").Errno);
        Assert.Equal(Errno.EINVAL, listener.Connect(_space, "/run/srv").Errno);
        Assert.Equal(Errno.EINVAL, _sim.RunUntilComplete(fresh.AcceptAsync().AsTask()).Errno);
        Assert.Equal(Errno.ENOTCONN, fresh.Shutdown(ShutdownHow.Read).Errno);
        Assert.Equal(Errno.ENOTCONN, _sim.RunUntilComplete(fresh.ReadAsync(new byte[1]).AsTask()).Errno);
        Assert.Equal(Errno.ENOTCONN, _sim.RunUntilComplete(fresh.WriteAsync(new byte[1]).AsTask()).Errno);
        Assert.Equal(Errno.ENOTCONN, _sim.RunUntilComplete(listener.WriteAsync(new byte[1]).AsTask()).Errno);
        Assert.Equal(Errno.EINVAL, _sim.RunUntilComplete(listener.ReadAsync(new byte[1]).AsTask()).Errno);
        Assert.Equal(Errno.EADDRINUSE, fresh.Bind(_space, "/run/srv").Errno);
        Assert.Equal(Errno.EINVAL, listener.Bind(_space, "/run/other").Errno);
        Assert.Equal(Errno.EINVAL, fresh.Bind(_space, new string('x', UnixSocketOptions.MaxPathBytes + 1)).Errno);
        Assert.Equal(Errno.EINVAL, a.Shutdown((ShutdownHow)7).Errno);
        b.Close();
        Assert.Equal(Errno.EBADF, b.Close().Errno);
    }

    [Fact]
    public void Closing_one_side_gives_the_peer_end_of_file_and_EPIPE_on_write()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            await a.WriteAsync(new byte[] { 1, 2 });
            Assert.Equal(SocketResult.Ok, a.Close());
            var buffer = new byte[8];
            Assert.Equal(TransferResult.Success(2), await b.ReadAsync(buffer));
            Assert.Equal(TransferResult.Success(0), await b.ReadAsync(buffer));
            TransferResult w = await b.WriteAsync(new byte[1]);
            Assert.Equal(Errno.EPIPE, w.Errno);
            Assert.True(w.RaiseSigpipe);
        }
    }

    [Fact]
    public void Closing_with_unread_data_makes_the_peer_read_ECONNRESET_once_then_end_of_file()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            await b.WriteAsync(new byte[] { 1 });                 // a never reads it
            await a.WriteAsync(new byte[] { 5 });
            a.Close();
            var buffer = new byte[8];
            Assert.Equal(TransferResult.Success(1), await b.ReadAsync(buffer));
            Assert.Equal(Errno.ECONNRESET, (await b.ReadAsync(buffer)).Errno);
            Assert.Equal(TransferResult.Success(0), await b.ReadAsync(buffer));
        }
    }

    [Fact]
    public void Closing_with_unread_data_after_shutting_down_writing_still_resets_the_peer()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            await b.WriteAsync(new byte[] { 1 });
            a.Shutdown(ShutdownHow.Write);
            Assert.Equal(TransferResult.Success(0), await b.ReadAsync(new byte[1]));
            a.Close();
            Assert.Equal(Errno.ECONNRESET, (await b.ReadAsync(new byte[1])).Errno);
            Assert.Equal(TransferResult.Success(0), await b.ReadAsync(new byte[1]));
        }
    }

    [Fact]
    public void A_blocked_reader_wakes_with_end_of_file_when_the_peer_shuts_down_writing()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        TransferResult read = TransferResult.Success(-1);
        long at = -1;
        _sim.Spawn(async () =>
        {
            read = await b.ReadAsync(new byte[4]);
            at = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(40);
            a.Shutdown(ShutdownHow.Write);
        });
        _sim.Run();
        Assert.Equal(TransferResult.Success(0), read);
        Assert.Equal(40, at);
        Assert.Equal(Errno.EPIPE, _sim.RunUntilComplete(a.WriteAsync(new byte[1]).AsTask()).Errno);
    }

    [Fact]
    public void Shutting_down_reading_drains_what_arrived_then_reads_end_of_file_and_fails_the_peers_writes()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            await a.WriteAsync(new byte[] { 1, 2, 3 });
            Assert.Equal(SocketResult.Ok, b.Shutdown(ShutdownHow.Read));
            Assert.Equal(Errno.EPIPE, (await a.WriteAsync(new byte[1])).Errno);
            var buffer = new byte[8];
            Assert.Equal(TransferResult.Success(3), await b.ReadAsync(buffer));
            Assert.Equal(TransferResult.Success(0), await b.ReadAsync(buffer));
            // The other direction still works.
            Assert.Equal(TransferResult.Success(1), await b.WriteAsync(new byte[1]));
            Assert.Equal(TransferResult.Success(1), await a.ReadAsync(buffer));
        }
    }

    [Fact]
    public void Non_blocking_sockets_return_EAGAIN_when_empty_or_full()
    {
        var options = new UnixSocketOptions { BufferBytes = 1024 };
        var (a, b) = UnixSocket.CreatePair(_sim, options);
        a.NonBlocking = b.NonBlocking = true;
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            Assert.Equal(Errno.EAGAIN, (await b.ReadAsync(new byte[1])).Errno);
            Assert.Equal(TransferResult.Success(1024), await a.WriteAsync(new byte[1024]));
            Assert.Equal(Errno.EAGAIN, (await a.WriteAsync(new byte[1])).Errno);
        }
    }

    [Fact]
    public void A_closing_listener_resets_connections_nobody_accepted()
    {
        var listener = new UnixSocket(_sim);
        listener.Bind(_space, "/run/srv");
        listener.Listen(1);
        var client = new UnixSocket(_sim);
        client.Connect(_space, "/run/srv");
        listener.Close();

        Assert.Null(_space.Lookup("/run/srv"));
        Assert.Equal(Errno.ECONNREFUSED, new UnixSocket(_sim).Connect(_space, "/run/srv").Errno);
        Assert.Equal(Errno.ECONNRESET, _sim.RunUntilComplete(client.ReadAsync(new byte[1]).AsTask()).Errno);
        Assert.Equal(Errno.EPIPE, _sim.RunUntilComplete(client.WriteAsync(new byte[1]).AsTask()).Errno);
    }

    [Fact]
    public void A_duplicated_socket_stays_connected_until_its_last_reference_closes()
    {
        var (a, b) = UnixSocket.CreatePair(_sim);
        Assert.Equal(Errno.None, a.Duplicate());
        a.Close();
        Assert.Equal(UnixSocketState.Connected, a.State);
        Assert.Equal(PollEvents.POLLOUT, b.Readiness);
        a.Close();
        Assert.Equal(PollEvents.POLLIN | PollEvents.POLLRDHUP | PollEvents.POLLOUT | PollEvents.POLLHUP, b.Readiness);
    }
}
