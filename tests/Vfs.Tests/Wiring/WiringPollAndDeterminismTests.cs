using Hardware.Vfs.Polling;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Core;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Wiring;

public sealed class WiringPollAndDeterminismTests
{
    [Fact]
    public void Poll_over_a_regular_file_a_fifo_and_a_socket_wakes_when_another_process_writes_to_the_socket()
    {
        using var rig = new VfsRig();
        SystemCalls calls = rig.Calls;
        Process poller = rig.Root;
        rig.WriteFile(poller, "/file", Bytes("data"));
        Ok(rig.Sys.Mkfifo(poller, "/fifo"));
        int file = rig.Open(poller, "/file", OpenFlags.ReadOnly);
        int fifo = rig.Open(poller, "/fifo", OpenFlags.ReadOnly | OpenFlags.NonBlock);
        DescriptorPair pair = Ok(rig.Sys.Call(c => c.SocketPairAsync(poller)));
        Process writer = rig.Vfs.Fork(poller, 2);
        PollDescriptor[] fds = [new(fifo, PollEvents.POLLIN), new(pair.First, PollEvents.POLLIN), new(-1, PollEvents.POLLIN)];
        long wokeAt = 0;
        Task wait = rig.Simulation.Spawn(async () =>
        {
            Assert.Equal(1, Ok(await calls.PollAsync(poller, fds, Poller.Infinite)));
            wokeAt = rig.Simulation.Now;
        });
        Task write = rig.Simulation.Spawn(async () =>
        {
            await rig.Simulation.Delay(2_000_000);
            Ok(await calls.WriteAsync(writer, pair.Second, Bytes("wake")));
            await rig.Vfs.ExitAsync(writer);
        });
        rig.Simulation.RunUntilComplete(Task.WhenAll(wait, write));
        Assert.Equal(2_000_000, wokeAt);
        Assert.Equal(PollEvents.None, fds[0].Revents);
        Assert.Equal(PollEvents.POLLIN, fds[1].Revents);
        Assert.Equal(PollEvents.None, fds[2].Revents);
        PollDescriptor[] regular = [new(file, PollEvents.POLLIN | PollEvents.POLLOUT)];
        Assert.Equal(1, Ok(rig.Sys.Call(c => c.PollAsync(poller, regular, 0))));
        Assert.Equal(PollEvents.POLLIN | PollEvents.POLLOUT, regular[0].Revents);
    }

    [Fact]
    public void A_fifo_reader_opened_nonblocking_before_any_writer_sees_no_hangup_until_a_writer_has_come_and_gone()
    {
        using var rig = new VfsRig();
        Process process = rig.Root;
        Ok(rig.Sys.Mkfifo(process, "/f"));
        int reader = rig.Open(process, "/f", OpenFlags.ReadOnly | OpenFlags.NonBlock);
        PollDescriptor[] fds = [new(reader, PollEvents.POLLIN)];
        Assert.Equal(0, Ok(rig.Sys.Call(c => c.PollAsync(process, fds, 0))));
        Assert.Equal(0, Ok(rig.Sys.Read(process, reader, new byte[1])));
        int writer = rig.Open(process, "/f", OpenFlags.WriteOnly);
        Ok(rig.Sys.Close(process, writer));
        Assert.Equal(1, Ok(rig.Sys.Call(c => c.PollAsync(process, fds, 0))));
        Assert.Equal(PollEvents.POLLHUP, fds[0].Revents);
    }

    [Fact]
    public void A_pipeline_of_three_processes_produces_the_same_interleaving_and_end_time_on_every_run()
    {
        (string output, long endNs) first = RunPipeline();
        Assert.Equal(10, first.output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(10_000, first.endNs);
        Assert.Equal(first, RunPipeline());
    }

    private static (string Output, long EndNs) RunPipeline()
    {
        using var rig = new VfsRig();
        SystemCalls calls = rig.Calls;
        Process shell = rig.Root;
        DescriptorPair pipe = Ok(rig.Sys.Call(c => c.PipeAsync(shell)));
        var output = new System.Text.StringBuilder();
        var tasks = new List<Task>();
        for (int w = 0; w < 2; w++)
        {
            Process producer = rig.Vfs.Fork(shell, 10 + w);
            int id = w;
            tasks.Add(rig.Simulation.Spawn(async () =>
            {
                Ok(await calls.CloseAsync(producer, pipe.First));
                for (int i = 0; i < 5; i++)
                {
                    await rig.Simulation.Delay(1_000 * (id + 1));
                    Ok(await calls.WriteAsync(producer, pipe.Second, Bytes($"{id}{i} ")));
                }
                await rig.Vfs.ExitAsync(producer);
            }));
        }
        Ok(rig.Sys.Close(shell, pipe.Second));
        tasks.Add(rig.Simulation.Spawn(async () =>
        {
            var buffer = new byte[64];
            int read;
            while ((read = Ok(await calls.ReadAsync(shell, pipe.First, buffer))) > 0)
                output.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }));
        rig.Simulation.RunUntilComplete(Task.WhenAll(tasks));
        return (output.ToString(), rig.Simulation.Now);
    }
}
