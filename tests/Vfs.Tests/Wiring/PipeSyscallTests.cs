using Hardware.BlockLayer;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Wiring;

public sealed class PipeSyscallTests : IDisposable
{
    private readonly VfsRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_forked_child_writes_to_its_parent_through_a_pipe_and_the_parent_reads_end_of_file_after_the_child_closes()
    {
        SystemCalls calls = _rig.Calls;
        Process parent = _rig.Root;
        DescriptorPair pipe = Ok(_rig.Sys.Call(c => c.PipeAsync(parent)));
        Process child = _rig.Vfs.Fork(parent, 2);
        var received = new List<byte>();
        Task reader = _rig.Simulation.Spawn(async () =>
        {
            Ok(await calls.CloseAsync(parent, pipe.Second));
            var buffer = new byte[8];
            while (true)
            {
                int read = Ok(await calls.ReadAsync(parent, pipe.First, buffer));
                if (read == 0)
                    break;
                received.AddRange(buffer[..read]);
            }
        });
        Task writer = _rig.Simulation.Spawn(async () =>
        {
            Ok(await calls.CloseAsync(child, pipe.First));
            Ok(await calls.WriteAsync(child, pipe.Second, Bytes("hello from the child")));
            await _rig.Vfs.ExitAsync(child);
        });
        _rig.Simulation.RunUntilComplete(Task.WhenAll(reader, writer));
        Assert.Equal("hello from the child", System.Text.Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(InodeType.Fifo, Ok(calls.Fstat(parent, pipe.First)).Type);
        Assert.Equal(0, Ok(calls.Fstat(parent, pipe.First)).LinkCount);
        Fails(Errno.ESPIPE, _rig.Sys.Lseek(parent, pipe.First, 0, SeekOrigin.Set));
    }

    [Fact]
    public void Writing_after_the_last_reader_closes_gives_EPIPE_with_SIGPIPE_but_a_dup_keeps_the_reader_alive()
    {
        Process process = _rig.Root;
        DescriptorPair pipe = Ok(_rig.Sys.Call(c => c.PipeAsync(process)));
        int copy = Ok(_rig.Calls.Dup(process, pipe.First));
        Ok(_rig.Sys.Close(process, pipe.First));
        Assert.Equal(3, Ok(_rig.Sys.Write(process, pipe.Second, Bytes("abc"))));
        Ok(_rig.Sys.Close(process, copy));
        VfsResult<int> broken = _rig.Sys.Write(process, pipe.Second, Bytes("x"));
        Fails(Errno.EPIPE, broken);
        Assert.True(broken.RaiseSigpipe);
    }

    [Fact]
    public void Dup2_onto_a_pipe_end_closes_the_displaced_end_so_the_reader_sees_end_of_file()
    {
        Process process = _rig.Root;
        DescriptorPair pipe = Ok(_rig.Sys.Call(c => c.PipeAsync(process, OpenFlags.NonBlock)));
        var buffer = new byte[4];
        Fails(Errno.EAGAIN, _rig.Sys.Read(process, pipe.First, buffer));
        Ok(_rig.Sys.Dup2(process, pipe.First, pipe.Second));
        Assert.Equal(0, Ok(_rig.Sys.Read(process, pipe.First, buffer)));
    }

    [Fact]
    public void Two_processes_meet_at_a_fifo_by_path_and_a_nonblocking_writer_without_reader_gets_ENXIO()
    {
        SystemCalls calls = _rig.Calls;
        Ok(_rig.Sys.Mkfifo(_rig.Root, "/fifo"));
        Process other = _rig.Spawn(2, Credentials.Root);
        Fails(Errno.ENXIO, _rig.Sys.Open(other, "/fifo", OpenFlags.WriteOnly | OpenFlags.NonBlock));
        string? got = null;
        Task reader = _rig.Simulation.Spawn(async () =>
        {
            int fd = Ok(await calls.OpenAsync(_rig.Root, "/fifo", OpenFlags.ReadOnly));
            var buffer = new byte[16];
            int read = Ok(await calls.ReadAsync(_rig.Root, fd, buffer));
            got = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            Ok(await calls.CloseAsync(_rig.Root, fd));
        });
        Task writer = _rig.Simulation.Spawn(async () =>
        {
            await _rig.Simulation.Delay(1_000);
            int fd = Ok(await calls.OpenAsync(other, "/fifo", OpenFlags.WriteOnly));
            Ok(await calls.WriteAsync(other, fd, Bytes("ping")));
            Ok(await calls.CloseAsync(other, fd));
        });
        _rig.Simulation.RunUntilComplete(Task.WhenAll(reader, writer));
        Assert.Equal("ping", got);
    }

    [Fact]
    public void Poll_times_out_in_virtual_time_then_reports_a_pipe_readable_and_a_bad_descriptor_invalid()
    {
        Process process = _rig.Root;
        DescriptorPair pipe = Ok(_rig.Sys.Call(c => c.PipeAsync(process)));
        PollDescriptor[] fds = [new(pipe.First, PollEvents.POLLIN), new(99, PollEvents.POLLIN)];
        long start = _rig.Simulation.Now;
        Assert.Equal(1, Ok(_rig.Sys.Call(c => c.PollAsync(process, fds, 5_000_000))));
        Assert.Equal(PollEvents.POLLNVAL, fds[1].Revents);
        fds = [new(pipe.First, PollEvents.POLLIN)];
        Assert.Equal(0, Ok(_rig.Sys.Call(c => c.PollAsync(process, fds, 5_000_000))));
        Assert.Equal(start + 5_000_000, _rig.Simulation.Now);
        Ok(_rig.Sys.Write(process, pipe.Second, Bytes("x")));
        Assert.Equal(1, Ok(_rig.Sys.Call(c => c.PollAsync(process, fds, 0))));
        Assert.Equal(PollEvents.POLLIN, fds[0].Revents);
    }
}
