using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class KyberConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new KyberElevator();
}
