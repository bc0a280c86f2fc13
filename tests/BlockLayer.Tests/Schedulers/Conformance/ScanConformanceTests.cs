using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class ScanConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new ScanElevator();
}
