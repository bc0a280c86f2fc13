namespace Hardware.BlockLayer.Schedulers;

/// <summary>C-SCAN: sweeps one way to the edge, returns to the other edge and sweeps again; the return is counted.</summary>
public sealed class CScanElevator(SweepDirection direction = SweepDirection.Up)
    : SweepElevator(ElevatorName, toEdge: true, circular: true, direction)
{
    public const string ElevatorName = "c-scan";
}
