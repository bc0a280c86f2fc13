using Hardware.Emulator.Simulation;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.Polling;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Tests.Pipes;

/// <summary>
/// What every <see cref="IPollable"/> must do for poll to work on it; one small subclass per kind of object.
/// A subject is an object with a way to make it ready for <see cref="Event"/> and a way to close it.
/// </summary>
public abstract class PollableConformance
{
    protected readonly Simulation Sim = new(seed: 8);

    protected abstract PollEvents Event { get; }

    protected abstract (IPollable Subject, Func<Task> MakeReady, Action Close) CreateSubject();

    [Fact]
    public void A_poller_wakes_when_the_subject_becomes_ready_and_reports_the_event()
    {
        var (subject, makeReady, _) = CreateSubject();
        Assert.Equal(PollEvents.None, subject.Readiness & Event);
        var poller = new Poller(Sim);
        PollResult result = default;
        Sim.Spawn(async () => result = await poller.PollAsync([(subject, Event)], Poller.Infinite));
        Sim.Spawn(async () =>
        {
            await Sim.Delay(77);
            await makeReady();
        });
        Sim.Run();
        Assert.Equal(Event, result[0] & Event);
        Assert.Equal(77, Sim.Now);
    }

    [Fact]
    public void A_poll_of_a_subject_that_stays_unready_times_out_in_virtual_time()
    {
        var (subject, _, _) = CreateSubject();
        var poller = new Poller(Sim);
        PollResult result = Sim.RunUntilComplete(poller.PollAsync([(subject, Event)], 1_000).AsTask());
        Assert.True(result.TimedOut);
        Assert.Equal(1_000, Sim.Now);
    }

    [Fact]
    public void Subscribed_watchers_hear_of_a_change()
    {
        var (subject, makeReady, _) = CreateSubject();
        var watcher = new CountingWatcher();
        subject.Subscribe(watcher);
        Sim.RunUntilComplete(makeReady());
        Assert.True(watcher.Count > 0);
    }

    [Fact]
    public void An_unsubscribed_watcher_hears_nothing()
    {
        var (subject, makeReady, _) = CreateSubject();
        var watcher = new CountingWatcher();
        subject.Subscribe(watcher);
        subject.Unsubscribe(watcher);
        Sim.RunUntilComplete(makeReady());
        Assert.Equal(0, watcher.Count);
    }

    [Fact]
    public void A_closed_subject_reports_POLLNVAL()
    {
        var (subject, _, close) = CreateSubject();
        close();
        Assert.Equal(PollEvents.POLLNVAL, subject.Readiness);
    }

    private sealed class CountingWatcher : IPollWatcher
    {
        public int Count;

        public void OnReadinessChanged() => Count++;
    }
}

public sealed class PipeReadEndPollTests : PollableConformance
{
    protected override PollEvents Event => PollEvents.POLLIN;

    protected override (IPollable, Func<Task>, Action) CreateSubject()
    {
        var (reader, writer) = Pipe.Create(Sim);
        return (reader, async () => await writer.WriteAsync(new byte[1]), () => reader.Close());
    }
}

public sealed class PipeWriteEndPollTests : PollableConformance
{
    protected override PollEvents Event => PollEvents.POLLOUT;

    protected override (IPollable, Func<Task>, Action) CreateSubject()
    {
        var (reader, writer) = Pipe.Create(Sim, capacityBytes: PipeLimits.PipeBuf);
        writer.NonBlocking = true;
        Sim.RunUntilComplete(writer.WriteAsync(new byte[PipeLimits.PipeBuf]).AsTask());
        return (writer, async () => await reader.ReadAsync(new byte[PipeLimits.PipeBuf]), () => writer.Close());
    }
}

public sealed class UnixSocketPollConformanceTests : PollableConformance
{
    protected override PollEvents Event => PollEvents.POLLIN;

    protected override (IPollable, Func<Task>, Action) CreateSubject()
    {
        var (a, b) = UnixSocket.CreatePair(Sim);
        return (b, async () => await a.WriteAsync(new byte[1]), () => b.Close());
    }
}

public sealed class UnixListenerPollConformanceTests : PollableConformance
{
    protected override PollEvents Event => PollEvents.POLLIN;

    protected override (IPollable, Func<Task>, Action) CreateSubject()
    {
        var space = new InMemoryUnixAddressSpace();
        var listener = new UnixSocket(Sim);
        listener.Bind(space, "/run/l");
        listener.Listen(4);
        return (listener, () =>
        {
            new UnixSocket(Sim).Connect(space, "/run/l");
            return Task.CompletedTask;
        }, () => listener.Close());
    }
}
