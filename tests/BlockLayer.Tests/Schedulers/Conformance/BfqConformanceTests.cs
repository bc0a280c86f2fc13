using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class BfqConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new BfqElevator();
}
