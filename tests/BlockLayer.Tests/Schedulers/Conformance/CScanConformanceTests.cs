using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class CScanConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new CScanElevator();
}
