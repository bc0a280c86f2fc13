using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers;

public class ElevatorRegistryTests
{
    [Fact]
    public void It_knows_the_linux_schedulers_and_the_teaching_ones()
    {
        foreach (string name in new[] { "none", "mq-deadline", "bfq", "kyber", "sstf", "scan", "c-scan", "look", "c-look" })
            Assert.Contains(name, ElevatorRegistry.Names);
    }

    [Theory]
    [InlineData("cfq", "unknown scheduler 'cfq'; known: none, mq-deadline, bfq, kyber, sstf, scan, c-scan, look, c-look")]
    [InlineData("", "no scheduler named; known: none, mq-deadline, bfq, kyber, sstf, scan, c-scan, look, c-look")]
    [InlineData("kyber:read_lat_nsec", "kyber: 'read_lat_nsec' is not tunable=value")]
    [InlineData("none:x=1", "none: unknown tunable 'x'; it has none")]
    [InlineData("bfq:slice_idle=8ms,low_latency=2", "bfq: low_latency=2: out of range (valid 0..1)")]
    public void A_bad_spec_is_an_error_naming_what_is_wrong_never_an_exception(string spec, string message)
    {
        Assert.False(ElevatorRegistry.TryCreate(spec, out IElevator? elevator, out string error));
        Assert.Null(elevator);
        Assert.StartsWith(message, error);
    }

    [Fact]
    public void Each_creation_is_a_fresh_elevator()
    {
        Assert.True(ElevatorRegistry.TryCreate("kyber:read_lat_nsec=1ms", out IElevator? first, out _));
        Assert.True(ElevatorRegistry.TryCreate("kyber", out IElevator? second, out _));
        Assert.NotSame(first, second);
        Assert.Equal("1000000", first!.Tunables.Single(t => t.Name == "read_lat_nsec").Value);
        Assert.Equal("2000000", second!.Tunables.Single(t => t.Name == "read_lat_nsec").Value);
    }

    [Fact]
    public void A_plug_in_registers_under_a_new_name_but_not_over_an_existing_one()
    {
        Assert.True(ElevatorRegistry.TryRegister("test-fifo-plugin", static () => new NoneElevator(), out string error), error);
        Assert.Contains("test-fifo-plugin", ElevatorRegistry.Names);
        Assert.True(ElevatorRegistry.TryCreate("test-fifo-plugin", out IElevator? created, out _));
        Assert.IsType<NoneElevator>(created);
        Assert.False(ElevatorRegistry.TryRegister("bfq", static () => new NoneElevator(), out error));
        Assert.Equal("scheduler 'bfq' is already registered", error);
        Assert.False(ElevatorRegistry.TryRegister("a:b", static () => new NoneElevator(), out _));
    }
}
