using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class NoneConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new NoneElevator();
}
