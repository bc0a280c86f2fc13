using System.Text;
using Hardware.BlockLayer.Tracing;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.DevFs;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Integration;

/// <summary>
/// Issue 4's "done": on a booted machine, simulated processes use files, directories, devices, pipes and sockets
/// through one syscall interface, and the disk is reached by DMA into cached pages.
/// </summary>
public class OneInterfaceTests
{
    [Fact]
    public void Processes_use_files_directories_devices_pipes_and_sockets_through_one_interface()
    {
        using var rig = new DevFsRig("hdd-7200");
        SystemCalls calls = rig.Calls;
        Process parent = rig.Root;
        byte[] greeting = Encoding.ASCII.GetBytes("hello through the stack");

        rig.Machine.Run(async () =>
        {
            // Directories and a regular file on rootfs.
            Ok(await calls.MkdirAsync(parent, "/data"));
            int file = Ok(await calls.OpenAsync(parent, "/data/note", OpenFlags.ReadWrite | OpenFlags.Create));
            Assert.Equal(greeting.Length, Ok(await calls.WriteAsync(parent, file, greeting)));
            var readBack = new byte[greeting.Length];
            Assert.Equal(greeting.Length, Ok(await calls.PreadAsync(parent, file, readBack, 0)));
            Assert.Equal(greeting, readBack);
            Ok(await calls.CloseAsync(parent, file));

            // Devices: /dev/zero reads zeros, /dev/null swallows, /dev/sda reaches the emulated disk.
            int zero = Ok(await calls.OpenAsync(parent, "/dev/zero", OpenFlags.ReadOnly));
            var zeros = new byte[64];
            zeros.AsSpan().Fill(0xFF);
            Assert.Equal(64, Ok(await calls.ReadAsync(parent, zero, zeros)));
            Assert.All(zeros, b => Assert.Equal(0, b));
            Ok(await calls.CloseAsync(parent, zero));
            int sda = Ok(await calls.OpenAsync(parent, "/dev/sda", OpenFlags.ReadWrite));
            byte[] block = new byte[4096];
            greeting.CopyTo(block, 0);
            Assert.Equal(4096, Ok(await calls.PwriteAsync(parent, sda, block, 1 << 20)));
            Ok(await calls.FsyncAsync(parent, sda));
            Ok(await calls.CloseAsync(parent, sda));

            // A pipe to a forked child, which answers over a socketpair: two processes, one interface.
            DescriptorPair pipe = Ok(await calls.PipeAsync(parent));
            DescriptorPair sockets = Ok(await calls.SocketPairAsync(parent));
            Process child = rig.Vfs.Fork(parent, 2);
            Task childDone = ChildAsync(calls, child, pipe, sockets);

            Ok(await calls.CloseAsync(parent, pipe.First));
            Ok(await calls.CloseAsync(parent, sockets.Second));
            Assert.Equal(greeting.Length, Ok(await calls.WriteAsync(parent, pipe.Second, greeting)));
            Ok(await calls.CloseAsync(parent, pipe.Second));
            var reply = new byte[greeting.Length + 1];
            int got = 0;
            while (got < reply.Length)
            {
                int n = Ok(await calls.ReadAsync(parent, sockets.First, reply.AsMemory(got)));
                Assert.True(n > 0, "the child closed the socket before answering");
                got += n;
            }
            Assert.Equal((byte)'!', reply[^1]);
            Assert.Equal(greeting, reply[..^1]);
            Ok(await calls.CloseAsync(parent, sockets.First));
            await childDone;
            await rig.Vfs.ExitAsync(child);
        });

        // The block device write went to the disk as DMA into the cached page, then a flush made it durable.
        Assert.Equal(greeting, rig.Machine.ReadDisk(1 << 20, greeting.Length));
        Assert.Contains(rig.Machine.Trace.ToArray(), e => e.Action == BlockTraceAction.Complete && e.Op == Hardware.BlockLayer.BioOp.Flush);
    }

    /// <summary>The child reads the pipe to EOF and answers on its socket with what it read and a '!'.</summary>
    private static async Task ChildAsync(SystemCalls calls, Process child, DescriptorPair pipe, DescriptorPair sockets)
    {
        Ok(await calls.CloseAsync(child, pipe.Second));
        Ok(await calls.CloseAsync(child, sockets.First));
        var received = new List<byte>();
        var buffer = new byte[16];
        while (true)
        {
            int n = Ok(await calls.ReadAsync(child, pipe.First, buffer));
            if (n == 0)
                break;
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        received.Add((byte)'!');
        byte[] answer = received.ToArray();
        Assert.Equal(answer.Length, Ok(await calls.WriteAsync(child, sockets.Second, answer)));
        Ok(await calls.CloseAsync(child, pipe.First));
        Ok(await calls.CloseAsync(child, sockets.Second));
    }
}
