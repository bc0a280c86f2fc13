using Hardware.BlockLayer;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Wiring;

public sealed class UnixSocketSyscallTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_server_bound_at_a_path_accepts_two_clients_and_echoes_each()
    {
        SystemCalls calls = _rig.Calls;
        Process server = _rig.Root;
        int listener = Ok(_rig.Sys.Call(c => c.SocketAsync(server)));
        calls.Umask(server, 0);
        Ok(_rig.Sys.Bind(server, listener, "/echo.sock"));
        Ok(calls.Listen(server, listener, 4));
        Assert.Equal(InodeType.Socket, Ok(_rig.Sys.Stat(server, "/echo.sock")).Type);
        Fails(Errno.EADDRINUSE, _rig.Sys.Bind(server, Ok(_rig.Sys.Call(c => c.SocketAsync(server))), "/echo.sock"));
        var replies = new string[2];
        Task serve = _rig.Simulation.Spawn(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                int connection = Ok(await calls.AcceptAsync(server, listener));
                var buffer = new byte[32];
                int read = Ok(await calls.ReadAsync(server, connection, buffer));
                Ok(await calls.WriteAsync(server, connection, buffer.AsMemory(0, read)));
                Ok(await calls.CloseAsync(server, connection));
            }
        });
        var clients = new Task[2];
        for (int i = 0; i < 2; i++)
        {
            int index = i;
            Process client = _rig.Spawn(10 + i, Credentials.User(1000 + i, 1000));
            clients[i] = _rig.Simulation.Spawn(async () =>
            {
                int fd = Ok(await calls.SocketAsync(client));
                Ok(await calls.ConnectAsync(client, fd, "/echo.sock"));
                Ok(await calls.WriteAsync(client, fd, Bytes($"client {index}")));
                var buffer = new byte[32];
                int read = Ok(await calls.ReadAsync(client, fd, buffer));
                replies[index] = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
                Assert.Equal(0, Ok(await calls.ReadAsync(client, fd, buffer)));
            });
        }
        _rig.Simulation.RunUntilComplete(Task.WhenAll(serve, clients[0], clients[1]));
        Assert.Equal(["client 0", "client 1"], replies);
    }

    [Fact]
    public void Connect_gives_ENOENT_for_a_missing_path_ECONNREFUSED_for_a_regular_file_and_after_unlink_ENOENT()
    {
        SystemCalls calls = _rig.Calls;
        Process process = _rig.Root;
        _rig.WriteFile(process, "/plain", Bytes("x"));
        int listener = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        Ok(_rig.Sys.Bind(process, listener, "/s"));
        int client = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        VfsResult missing = _rig.Sys.Connect(process, client, "/nowhere");
        Fails(Errno.ENOENT, missing);
        Assert.Contains("/nowhere", missing.Message);
        Fails(Errno.ECONNREFUSED, _rig.Sys.Connect(process, client, "/plain"));
        Fails(Errno.ECONNREFUSED, _rig.Sys.Connect(process, client, "/s"));
        Fails(Errno.ENOENT, _rig.Sys.Bind(process, client, "/no/dir/s"));
        Fails(Errno.ENOTSOCK, calls.Listen(process, _rig.Open(process, "/plain", OpenFlags.ReadOnly), 1));
        Ok(_rig.Sys.Unlink(process, "/s"));
        Fails(Errno.ENOENT, _rig.Sys.Connect(process, client, "/s"));
    }

    [Fact]
    public void Bind_in_a_directory_without_write_permission_gives_EACCES()
    {
        Ok(_rig.Sys.Mkdir(_rig.Root, "/locked", 0x1ED));
        Process user = _rig.User(5, 1000, 1000);
        int fd = Ok(_rig.Sys.Call(c => c.SocketAsync(user)));
        Fails(Errno.EACCES, _rig.Sys.Bind(user, fd, "/locked/s"));
    }

    [Fact]
    public void A_socketpair_carries_data_both_ways_and_shutdown_of_writing_gives_the_peer_end_of_file()
    {
        Process process = _rig.Root;
        DescriptorPair pair = Ok(_rig.Sys.Call(c => c.SocketPairAsync(process)));
        Assert.Equal(2, Ok(_rig.Sys.Write(process, pair.First, Bytes("hi"))));
        var buffer = new byte[4];
        Assert.Equal(2, Ok(_rig.Sys.Read(process, pair.Second, buffer)));
        Assert.Equal(3, Ok(_rig.Sys.Write(process, pair.Second, Bytes("yo!"))));
        Assert.Equal(3, Ok(_rig.Sys.Read(process, pair.First, buffer)));
        Ok(_rig.Calls.Shutdown(process, pair.First, Hardware.Vfs.Sockets.ShutdownHow.Write));
        Assert.Equal(0, Ok(_rig.Sys.Read(process, pair.Second, buffer)));
        Assert.Equal(InodeType.Socket, Ok(_rig.Calls.Fstat(process, pair.First)).Type);
    }

    [Fact]
    public void A_nonblocking_listener_accepts_with_EAGAIN_while_empty_and_close_on_exec_sockets_vanish_at_exec()
    {
        SystemCalls calls = _rig.Calls;
        Process process = _rig.Root;
        int listener = Ok(_rig.Sys.Call(c => c.SocketAsync(process, OpenFlags.NonBlock | OpenFlags.CloseOnExec)));
        Ok(_rig.Sys.Bind(process, listener, "/nb"));
        Ok(calls.Listen(process, listener, 0));
        Fails(Errno.EAGAIN, _rig.Sys.Call(c => c.AcceptAsync(process, listener)));
        int client = Ok(_rig.Sys.Call(c => c.SocketAsync(process)));
        Ok(_rig.Sys.Connect(process, client, "/nb"));
        int accepted = Ok(_rig.Sys.Call(c => c.AcceptAsync(process, listener)));
        Assert.Equal(1, Ok(_rig.Sys.Write(process, client, Bytes("z"))));
        Assert.Equal(1, Ok(_rig.Sys.Read(process, accepted, new byte[4])));
        _rig.Run(() => _rig.Vfs.ExecAsync(process).AsTask());
        Fails(Errno.EBADF, calls.Listen(process, listener, 1));
        Ok(calls.Shutdown(process, accepted, Hardware.Vfs.Sockets.ShutdownHow.ReadWrite));
    }

    [Fact]
    public void A_fifo_opened_read_write_never_waits_and_reads_back_its_own_writes()
    {
        Process process = _rig.Root;
        Ok(_rig.Sys.Mkfifo(process, "/rw"));
        int fd = _rig.Open(process, "/rw", OpenFlags.ReadWrite);
        Assert.Equal(3, Ok(_rig.Sys.Write(process, fd, Bytes("abc"))));
        var buffer = new byte[8];
        Assert.Equal(3, Ok(_rig.Sys.Read(process, fd, buffer)));
        Fails(Errno.ESPIPE, _rig.Sys.Pread(process, fd, buffer, 0));
    }
}
