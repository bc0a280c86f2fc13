namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Shortest seek time first: always the held request whose start is nearest the head. A tie goes to the request
/// ahead of the head (higher sectors). Requests far from a busy region can wait indefinitely - the textbook point.
/// </summary>
public sealed class SstfElevator : ArmElevator
{
    public const string ElevatorName = "sstf";

    public SstfElevator()
        : base(ElevatorName)
    {
    }

    protected override Request? Next()
    {
        long head = Queue.HeadPosition;
        Request? ahead = Sorted.Ceiling(head);
        Request? behind = Sorted.Lower(head);
        if (ahead is null && behind is null)
            return null;
        long aheadDistance = ahead is null ? long.MaxValue : ahead.Sector - head;
        long behindDistance = behind is null ? long.MaxValue : head - behind.Sector;
        return aheadDistance <= behindDistance ? Take(ahead!, aheadDistance) : Take(behind!, behindDistance);
    }
}
