using Hardware.Emulator.Platform;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Platform;

public class InterruptControllerTests
{
    private sealed class RecordingHandler(Sim simulation, Action<int>? onInterrupt = null) : IInterruptHandler
    {
        public List<(int Vector, long Time)> Calls { get; } = [];

        public void HandleInterrupt(int vector)
        {
            Calls.Add((vector, simulation.Now));
            onInterrupt?.Invoke(vector);
        }
    }

    private static (Sim Sim, DeviceLog Log, InterruptController Controller) Build(long latency = 1_000)
    {
        var sim = new Sim();
        var log = new DeviceLog(sim);
        return (sim, log, new InterruptController(sim, log, latency));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(250_000)]
    public void A_raised_line_reaches_its_handler_after_the_delivery_latency(long latency)
    {
        var (sim, _, controller) = Build(latency);
        InterruptLine line = controller.GetLine(19);
        var handler = new RecordingHandler(sim, _ => line.Lower());
        controller.RegisterHandler(19, handler);
        sim.ScheduleAt(500, _ => line.Raise(), null);
        sim.Run();
        Assert.Equal([(19, 500 + latency)], handler.Calls);
        Assert.Equal(1, controller.Delivered);
    }

    [Fact]
    public void A_line_lowered_before_delivery_is_not_delivered()
    {
        var (sim, _, controller) = Build(1_000);
        InterruptLine line = controller.GetLine(5);
        var handler = new RecordingHandler(sim);
        controller.RegisterHandler(5, handler);
        line.Raise();
        sim.ScheduleAt(400, _ => line.Lower(), null);
        sim.Run();
        Assert.Empty(handler.Calls);
    }

    [Fact]
    public void A_line_still_asserted_after_its_handler_is_delivered_again()
    {
        var (sim, _, controller) = Build(1_000);
        InterruptLine line = controller.GetLine(7);
        RecordingHandler? handler = null;
        handler = new RecordingHandler(sim, _ =>
        {
            if (handler!.Calls.Count == 3)
                line.Lower();
        });
        controller.RegisterHandler(7, handler);
        line.Raise();
        sim.Run();
        Assert.Equal([1_000L, 2_000L, 3_000L], handler.Calls.Select(c => c.Time));
    }

    [Fact]
    public void A_shared_line_stays_asserted_while_any_source_holds_it()
    {
        var (_, _, controller) = Build();
        InterruptLine a = controller.GetLine(16);
        InterruptLine b = controller.GetLine(16);
        a.Raise();
        b.Raise();
        a.Lower();
        Assert.True(controller.IsAsserted(16));
        b.Lower();
        Assert.False(controller.IsAsserted(16));
    }

    [Fact]
    public void Msi_messages_deliver_the_vector_in_the_data_and_coalesce_while_pending()
    {
        var (sim, _, controller) = Build(1_000);
        var handler = new RecordingHandler(sim);
        controller.RegisterHandler(0x41, handler);
        controller.SignalMsi(0xFEE0_0000, 0x0000_4041);
        controller.SignalMsi(0xFEE0_0000, 0x41); // same vector, still pending: one delivery
        sim.Run();
        controller.SignalMsi(0xFEE0_0000, 0x41);
        sim.Run();
        Assert.Equal([(0x41, 1_000L), (0x41, 2_000L)], handler.Calls);
    }

    [Theory]
    [InlineData(0xFED0_0000ul, 0x41u)]
    [InlineData(0xFEF0_0000ul, 0x41u)]
    [InlineData(0xFEE0_0000ul, 0x10u)]
    public void An_msi_outside_the_window_or_with_a_reserved_vector_is_dropped_and_logged(ulong address, uint data)
    {
        var (sim, log, controller) = Build();
        var handler = new RecordingHandler(sim);
        controller.RegisterHandler(0x41, handler);
        controller.SignalMsi(address, data);
        sim.Run();
        Assert.Empty(handler.Calls);
        Assert.Contains(log.Entries, e => e.Source == "irq" && e.Level == DeviceLogLevel.Warning);
    }

    [Fact]
    public void An_interrupt_without_a_handler_is_logged_and_a_later_handler_gets_an_asserted_line()
    {
        var (sim, log, controller) = Build(1_000);
        InterruptLine line = controller.GetLine(3);
        line.Raise();
        sim.Run();
        Assert.Equal(1, controller.Unhandled);
        Assert.Contains(log.Entries, e => e.Message.Contains("no handler"));

        var handler = new RecordingHandler(sim, _ => line.Lower());
        controller.RegisterHandler(3, handler);
        sim.Run();
        Assert.Single(handler.Calls);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(256)]
    public void Vectors_between_the_lines_and_the_msi_range_are_rejected(int vector)
    {
        var (sim, _, controller) = Build();
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.RegisterHandler(vector, new RecordingHandler(sim)));
    }
}
