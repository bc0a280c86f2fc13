using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;

namespace Hardware.Vfs.Tests.Pipes;

public sealed class PipeTests
{
    private readonly Simulation _sim = new(seed: 7);

    [Fact]
    public void A_blocked_reader_wakes_at_the_virtual_time_the_writer_writes()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var buffer = new byte[100];
        long readAt = -1;
        TransferResult read = default;
        _sim.Spawn(async () =>
        {
            read = await reader.ReadAsync(buffer);
            readAt = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(5_000);
            await writer.WriteAsync(new byte[] { 1, 2, 3 });
        });
        _sim.Run();

        Assert.Equal(TransferResult.Success(3), read);
        Assert.Equal(5_000, readAt);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);
        Assert.Equal(1, reader.Pipe.Stats.ReaderSleeps);
    }

    [Fact]
    public void A_blocked_writer_waits_for_room_and_completes_the_whole_write()
    {
        var (reader, writer) = Pipe.Create(_sim, capacityBytes: 8192);
        var data = new byte[20_000];
        SimRandom random = _sim.CreateRandom("payload");
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)random.NextInt32(256);
        var received = new List<byte>();
        TransferResult written = default;
        long writeDoneAt = -1;
        _sim.Spawn(async () =>
        {
            written = await writer.WriteAsync(data);
            writeDoneAt = _sim.Now;
            writer.Close();
        });
        _sim.Spawn(async () =>
        {
            var buffer = new byte[3000];
            while (true)
            {
                await _sim.Delay(1_000);
                TransferResult r = await reader.ReadAsync(buffer);
                Assert.True(r.IsSuccess);
                if (r.Bytes == 0)
                    break;
                received.AddRange(buffer.AsSpan(0, r.Bytes).ToArray());
            }
        });
        _sim.Run();

        Assert.Equal(TransferResult.Success(20_000), written);
        Assert.Equal(data, received.ToArray());
        Assert.True(writeDoneAt > 1_000);
        Assert.True(reader.Pipe.Stats.WriterSleeps > 0);
    }

    [Fact]
    public void Readers_see_end_of_file_after_the_last_writer_closes_and_the_data_is_drained()
    {
        var (reader, writer) = Pipe.Create(_sim);
        Assert.Equal(Errno.None, writer.Duplicate());
        var results = new List<TransferResult>();
        _sim.Spawn(async () =>
        {
            var buffer = new byte[16];
            for (int i = 0; i < 2; i++)
                results.Add(await reader.ReadAsync(buffer));
        });
        _sim.Spawn(async () =>
        {
            await writer.WriteAsync(new byte[] { 9 });
            writer.Close();
            await _sim.Delay(100);
            Assert.Equal(1, reader.Pipe.Writers);
            writer.Close();
        });
        _sim.Run();

        Assert.Equal([TransferResult.Success(1), TransferResult.Success(0)], results);
        Assert.Equal(0, reader.Pipe.Writers);
    }

    [Fact]
    public void A_blocked_reader_is_woken_with_end_of_file_when_the_writer_closes()
    {
        var (reader, writer) = Pipe.Create(_sim);
        TransferResult read = TransferResult.Success(-1);
        _sim.Spawn(async () => read = await reader.ReadAsync(new byte[4]));
        _sim.Spawn(async () =>
        {
            await _sim.Delay(300);
            writer.Close();
        });
        _sim.Run();
        Assert.Equal(TransferResult.Success(0), read);
    }

    [Fact]
    public void Writing_without_a_reader_fails_with_EPIPE_and_raises_SIGPIPE()
    {
        var (reader, writer) = Pipe.Create(_sim);
        reader.Close();
        TransferResult result = default;
        _sim.Spawn(async () => result = await writer.WriteAsync(new byte[10]));
        _sim.Run();
        Assert.Equal(Errno.EPIPE, result.Errno);
        Assert.True(result.RaiseSigpipe);
        Assert.Equal(0, result.Bytes);
    }

    [Fact]
    public void A_writer_blocked_on_a_full_pipe_gets_the_partial_count_and_SIGPIPE_when_the_reader_closes()
    {
        var (reader, writer) = Pipe.Create(_sim, capacityBytes: 4096);
        TransferResult result = default;
        _sim.Spawn(async () => result = await writer.WriteAsync(new byte[10_000]));
        _sim.Spawn(async () =>
        {
            await _sim.Delay(50);
            reader.Close();
        });
        _sim.Run();
        Assert.Equal(new TransferResult(4096, Errno.None, true, null), result);
    }

    [Fact]
    public void Non_blocking_ends_return_EAGAIN_instead_of_waiting()
    {
        var (reader, writer) = Pipe.Create(_sim, capacityBytes: 4096);
        reader.NonBlocking = writer.NonBlocking = true;
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            Assert.Equal(Errno.EAGAIN, (await reader.ReadAsync(new byte[1])).Errno);
            Assert.Equal(TransferResult.Success(4000), await writer.WriteAsync(new byte[4000]));
            // 96 bytes free: an atomic write of 100 must not go in partially.
            Assert.Equal(Errno.EAGAIN, (await writer.WriteAsync(new byte[100])).Errno);
            // A write larger than PIPE_BUF takes what fits.
            Assert.Equal(TransferResult.Success(96), await writer.WriteAsync(new byte[5000]));
            Assert.Equal(Errno.EAGAIN, (await writer.WriteAsync(new byte[5000])).Errno);
            Assert.Equal(TransferResult.Success(4096), await reader.ReadAsync(new byte[8192]));
        }
    }

    [Fact]
    public void Zero_byte_reads_and_writes_return_zero_without_waiting()
    {
        var (reader, writer) = Pipe.Create(_sim);
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            Assert.Equal(TransferResult.Success(0), await reader.ReadAsync(Memory<byte>.Empty));
            Assert.Equal(TransferResult.Success(0), await writer.WriteAsync(ReadOnlyMemory<byte>.Empty));
            Assert.Equal(0, reader.Pipe.Available);
        }
    }

    [Fact]
    public void Closed_ends_report_EBADF()
    {
        var (reader, writer) = Pipe.Create(_sim);
        Assert.Equal(Errno.None, reader.Close());
        Assert.Equal(Errno.EBADF, reader.Close());
        Assert.Equal(Errno.EBADF, reader.Duplicate());
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            Assert.Equal(Errno.EBADF, (await reader.ReadAsync(new byte[1])).Errno);
            writer.Close();
            Assert.Equal(Errno.EBADF, (await writer.WriteAsync(new byte[1])).Errno);
        }
    }

    [Fact]
    public void Blocked_readers_are_served_in_arrival_order()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var order = new List<int>();
        for (int id = 0; id < 3; id++)
        {
            int me = id;
            _sim.Spawn(async () =>
            {
                await _sim.Delay(me * 10);
                var b = new byte[1];
                await reader.ReadAsync(b);
                order.Add(b[0] * 10 + me);
            });
        }
        _sim.Spawn(async () =>
        {
            await _sim.Delay(1_000);
            for (byte i = 1; i <= 3; i++)
            {
                await writer.WriteAsync(new[] { i });
                await _sim.Delay(1);
            }
        });
        _sim.Run();
        Assert.Equal([10, 21, 32], order);
    }

    [Fact]
    public void Capacity_changes_round_to_power_of_two_pages_and_refuse_to_drop_data()
    {
        var (reader, writer) = Pipe.Create(_sim);
        Pipe pipe = reader.Pipe;
        Assert.Equal(PipeLimits.DefaultCapacityBytes, pipe.Capacity);
        Assert.Equal(Errno.None, pipe.SetCapacity(3 * 4096 + 1, out int capacity));
        Assert.Equal(4 * 4096, capacity);
        _sim.RunUntilComplete(writer.WriteAsync(new byte[10_000]).AsTask());
        Assert.Equal(Errno.EBUSY, pipe.SetCapacity(4096, out _));
        Assert.Equal(Errno.EPERM, pipe.SetCapacity(PipeLimits.MaxCapacityBytes + 1, out _));
        Assert.Equal(Errno.None, pipe.SetCapacity(PipeLimits.MaxCapacityBytes, out capacity));
        Assert.Equal(PipeLimits.MaxCapacityBytes, capacity);
        var buffer = new byte[20_000];
        Assert.Equal(TransferResult.Success(10_000), _sim.RunUntilComplete(reader.ReadAsync(buffer).AsTask()));
    }
}
