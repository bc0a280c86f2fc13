namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Shared part of the classic seek-ordering schedulers: one sector-sorted index of every held request (reads and
/// writes alike), the head position from <see cref="IElevatorQueue.HeadPosition"/>, and the arm's travel.
/// </summary>
public abstract class ArmElevator : ElevatorBase, IArmTravel
{
    protected ArmElevator(string name)
        : base(name)
    {
    }

    protected SectorTree Sorted { get; } = new();

    public long ArmTravel { get; private set; }

    public long ReturnTravel { get; private set; }

    /// <summary>The highest sector of the device: where an edge-to-edge sweep turns.</summary>
    protected long LastSector => Math.Max(0, Queue.CapacitySectors - 1);

    protected override bool AlgorithmHasPending => !Sorted.IsEmpty;

    protected override void Add(Request request) => Sorted.Add(request);

    protected override void RemoveMerged(Request next, Request? survivor) => Sorted.Remove(next);

    protected override void OnMerged(Request request, MergeKind kind)
    {
        if (kind != MergeKind.Front)
            return;
        Sorted.Remove(request);
        Sorted.Add(request);
    }

    /// <summary>Removes <paramref name="request"/> and books the arm's move to it.</summary>
    protected Request Take(Request request, long travel, long returnTravel = 0)
    {
        Sorted.Remove(request);
        ArmTravel += travel;
        ReturnTravel += returnTravel;
        return request;
    }

    protected override void CollectStatistics(List<KeyValuePair<string, long>> statistics)
    {
        statistics.Add(new("arm_travel", ArmTravel));
        statistics.Add(new("return_travel", ReturnTravel));
    }
}
