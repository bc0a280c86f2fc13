using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;

namespace Hardware.Vfs.Tests.Pipes;

public sealed class FifoTests
{
    private readonly Simulation _sim = new(seed: 5);

    [Fact]
    public void Opening_for_reading_waits_until_a_writer_opens()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        long readerOpenedAt = -1;
        FifoOpenResult readerOpen = default;
        _sim.Spawn(async () =>
        {
            readerOpen = await fifo.OpenAsync(FifoAccess.ReadOnly, nonBlocking: false);
            readerOpenedAt = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(700);
            Assert.Equal(1, fifo.BlockedOpens);
            FifoOpenResult w = await fifo.OpenAsync(FifoAccess.WriteOnly, nonBlocking: false);
            Assert.True(w.IsSuccess);
            await w.Writer!.WriteAsync(new byte[] { 42 });
        });
        _sim.Run();

        Assert.True(readerOpen.IsSuccess);
        Assert.Equal(700, readerOpenedAt);
        Assert.Same(fifo.Pipe, readerOpen.Reader!.Pipe);
        Assert.Equal(1, readerOpen.Reader.Pipe.Available);
    }

    [Fact]
    public void Opening_for_writing_waits_until_a_reader_opens()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        long writerOpenedAt = -1;
        _sim.Spawn(async () =>
        {
            FifoOpenResult w = await fifo.OpenAsync(FifoAccess.WriteOnly, nonBlocking: false);
            Assert.NotNull(w.Writer);
            writerOpenedAt = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(300);
            Assert.True((await fifo.OpenAsync(FifoAccess.ReadOnly, nonBlocking: false)).IsSuccess);
        });
        _sim.Run();
        Assert.Equal(300, writerOpenedAt);
    }

    [Fact]
    public void A_non_blocking_read_only_open_succeeds_without_a_writer_and_reads_end_of_file()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            FifoOpenResult r = await fifo.OpenAsync(FifoAccess.ReadOnly, nonBlocking: true);
            Assert.True(r.IsSuccess);
            Assert.Equal(TransferResult.Success(0), await r.Reader!.ReadAsync(new byte[8]));
        }
    }

    [Fact]
    public void A_non_blocking_write_only_open_without_a_reader_fails_with_ENXIO()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        FifoOpenResult w = _sim.RunUntilComplete(fifo.OpenAsync(FifoAccess.WriteOnly, nonBlocking: true).AsTask());
        Assert.Equal(Errno.ENXIO, w.Errno);
        Assert.Contains("/tmp/f", w.Message);
        Assert.Null(fifo.Pipe);
    }

    [Fact]
    public void A_non_blocking_write_only_open_succeeds_when_a_reader_is_open()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            FifoOpenResult r = await fifo.OpenAsync(FifoAccess.ReadOnly, nonBlocking: true);
            FifoOpenResult w = await fifo.OpenAsync(FifoAccess.WriteOnly, nonBlocking: true);
            Assert.True(w.IsSuccess);
            Assert.Same(r.Reader!.Pipe, w.Writer!.Pipe);
            Assert.Equal((1, 1), (fifo.Readers, fifo.Writers));
        }
    }

    [Fact]
    public void A_read_write_open_never_waits_and_gives_both_ends()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        FifoOpenResult rw = _sim.RunUntilComplete(fifo.OpenAsync(FifoAccess.ReadWrite, nonBlocking: false).AsTask());
        Assert.NotNull(rw.Reader);
        Assert.NotNull(rw.Writer);
        Assert.Equal(0, _sim.Now);
    }

    [Fact]
    public void A_writer_that_opens_and_closes_while_the_reader_waits_still_completes_the_rendezvous()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        FifoOpenResult reader = default;
        _sim.Spawn(async () => reader = await fifo.OpenAsync(FifoAccess.ReadOnly, nonBlocking: false));
        _sim.Spawn(async () =>
        {
            await _sim.Delay(10);
            FifoOpenResult w = await fifo.OpenAsync(FifoAccess.WriteOnly, nonBlocking: false);
            w.Writer!.Close();
        });
        _sim.Run();
        Assert.True(reader.IsSuccess);
        Assert.Equal(TransferResult.Success(0), _sim.RunUntilComplete(reader.Reader!.ReadAsync(new byte[1]).AsTask()));
    }

    [Fact]
    public void Data_left_when_every_end_closes_is_discarded_with_the_pipe()
    {
        var fifo = new Fifo(_sim, "/tmp/f");
        _sim.RunUntilComplete(Body());

        async Task Body()
        {
            FifoOpenResult rw = await fifo.OpenAsync(FifoAccess.ReadWrite, nonBlocking: false);
            await rw.Writer!.WriteAsync(new byte[] { 1, 2, 3 });
            rw.Reader!.Close();
            rw.Writer.Close();
            Assert.Null(fifo.Pipe);
            FifoOpenResult again = await fifo.OpenAsync(FifoAccess.ReadWrite, nonBlocking: true);
            Assert.Equal(0, again.Reader!.Pipe.Available);
            Assert.Equal(Errno.EAGAIN, (await again.Reader.ReadAsync(new byte[3])).Errno);
        }
    }
}
