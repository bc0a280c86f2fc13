namespace Hardware.BlockLayer.Schedulers;

/// <summary>C-LOOK: sweeps one way to the last request, jumps back to the first and sweeps again.</summary>
public sealed class CLookElevator(SweepDirection direction = SweepDirection.Up)
    : SweepElevator(ElevatorName, toEdge: false, circular: true, direction)
{
    public const string ElevatorName = "c-look";
}
