namespace Hardware.BlockLayer.Schedulers;

/// <summary>
/// Linux's "none" with blk-mq: no scheduling, requests go to the device in the order they were inserted (FCFS).
/// Merging is the queue's; nothing here needs re-filing after a front merge.
/// </summary>
public sealed class NoneElevator : ElevatorBase
{
    public const string ElevatorName = "none";

    private readonly RequestList _fifo = new();

    public NoneElevator()
        : base(ElevatorName)
    {
    }

    protected override bool AlgorithmHasPending => !_fifo.IsEmpty;

    protected override void Add(Request request) => _fifo.AddLast(request);

    protected override Request? Next() => _fifo.RemoveFirst();

    protected override void RemoveMerged(Request next, Request? survivor) => _fifo.Remove(next);
}
