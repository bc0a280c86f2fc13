using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class SstfConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new SstfElevator();
}
