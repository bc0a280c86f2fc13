using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class LookConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new LookElevator();
}
