namespace Hardware.BlockLayer.Schedulers;

/// <summary>LOOK: like SCAN, but reverses at the last request instead of the disk edge.</summary>
public sealed class LookElevator(SweepDirection direction = SweepDirection.Up)
    : SweepElevator(ElevatorName, toEdge: false, circular: false, direction)
{
    public const string ElevatorName = "look";
}
