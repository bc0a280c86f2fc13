using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class CLookConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new CLookElevator();
}
