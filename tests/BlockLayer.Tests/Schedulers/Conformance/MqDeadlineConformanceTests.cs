using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Schedulers.Conformance;

public sealed class MqDeadlineConformanceTests : ElevatorConformanceTests
{
    protected override IElevator CreateElevator() => new MqDeadlineElevator();
}
