namespace Hardware.BlockLayer.Schedulers;

/// <summary>SCAN (the elevator algorithm): to the edge of the disk, then back.</summary>
public sealed class ScanElevator(SweepDirection direction = SweepDirection.Up)
    : SweepElevator(ElevatorName, toEdge: true, circular: false, direction)
{
    public const string ElevatorName = "scan";
}
