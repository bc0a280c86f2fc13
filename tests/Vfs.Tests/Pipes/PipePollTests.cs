using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;

namespace Hardware.Vfs.Tests.Pipes;

public sealed class PipePollTests
{
    private readonly Simulation _sim = new(seed: 9);

    [Fact]
    public void An_empty_pipe_is_writable_but_not_readable()
    {
        var (reader, writer) = Pipe.Create(_sim);
        Assert.Equal(PollEvents.None, reader.Readiness);
        Assert.Equal(PollEvents.POLLOUT, writer.Readiness);
    }

    [Fact]
    public void Poll_sleeps_until_data_arrives_and_reports_POLLIN()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var poller = new Poller(_sim);
        PollResult result = default;
        long at = -1;
        _sim.Spawn(async () =>
        {
            result = await poller.PollAsync([(reader, PollEvents.POLLIN)], Poller.Infinite);
            at = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(2_500);
            await writer.WriteAsync(new byte[1]);
        });
        _sim.Run();
        Assert.Equal(1, result.ReadyCount);
        Assert.Equal(PollEvents.POLLIN, result[0]);
        Assert.Equal(2_500, at);
        Assert.Equal(1, poller.Sleeps);
    }

    [Fact]
    public void Poll_times_out_in_virtual_time_with_nothing_ready()
    {
        var (reader, _) = Pipe.Create(_sim);
        var poller = new Poller(_sim);
        PollResult result = default;
        _sim.Spawn(async () => result = await poller.PollAsync([(reader, PollEvents.POLLIN)], 1_000_000));
        _sim.Run();
        Assert.True(result.TimedOut);
        Assert.Equal(PollEvents.None, result[0]);
        Assert.Equal(1_000_000, _sim.Now);
    }

    [Fact]
    public void A_zero_timeout_polls_without_sleeping()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var poller = new Poller(_sim);
        ValueTask<PollResult> pending = poller.PollAsync([(reader, PollEvents.POLLIN), (writer, PollEvents.POLLOUT)], 0);
        Assert.True(pending.IsCompleted);
        PollResult result = _sim.RunUntilComplete(pending.AsTask());
        Assert.Equal(1, result.ReadyCount);
        Assert.Equal([PollEvents.None, PollEvents.POLLOUT], new[] { result[0], result[1] });
    }

    [Fact]
    public void Hang_ups_are_reported_even_when_not_asked_for()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var (reader2, writer2) = Pipe.Create(_sim);
        writer.Close();
        reader2.Close();
        var poller = new Poller(_sim);
        PollResult result = _sim.RunUntilComplete(
            poller.PollAsync([(reader, PollEvents.None), (writer2, PollEvents.POLLOUT), (writer, PollEvents.POLLOUT)], 0).AsTask());
        Assert.Equal(PollEvents.POLLHUP, result[0]);
        Assert.Equal(PollEvents.POLLERR, result[1]);
        Assert.Equal(PollEvents.POLLNVAL, result[2]);
        Assert.Equal(3, result.ReadyCount);
    }

    [Fact]
    public void A_full_pipe_becomes_writable_when_a_read_makes_room_for_PIPE_BUF_bytes()
    {
        var (reader, writer) = Pipe.Create(_sim, capacityBytes: 2 * PipeLimits.PipeBuf);
        var poller = new Poller(_sim);
        long writableAt = -1;
        _sim.Spawn(async () =>
        {
            await writer.WriteAsync(new byte[2 * PipeLimits.PipeBuf]);
            PollResult r = await poller.PollAsync([(writer, PollEvents.POLLOUT)], Poller.Infinite);
            Assert.Equal(PollEvents.POLLOUT, r[0]);
            writableAt = _sim.Now;
        });
        _sim.Spawn(async () =>
        {
            await _sim.Delay(10);
            await reader.ReadAsync(new byte[100]);          // 100 bytes free: not yet writable
            await _sim.Delay(10);
            await reader.ReadAsync(new byte[PipeLimits.PipeBuf]);
        });
        _sim.Run();
        Assert.Equal(20, writableAt);
    }

    [Fact]
    public void A_poll_unsubscribes_when_it_returns()
    {
        var (reader, writer) = Pipe.Create(_sim);
        var poller = new Poller(_sim);
        _sim.Spawn(async () => await poller.PollAsync([(reader, PollEvents.POLLIN)], 500));
        _sim.Run();
        Assert.Equal(0, reader.Pipe.Watchers.Count);
    }
}
