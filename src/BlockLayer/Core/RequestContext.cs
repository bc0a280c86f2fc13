using Hardware.BlockLayer.Schedulers;
using Hardware.Emulator.Collections;

namespace Hardware.BlockLayer;

/// <summary>How the queue treats a request.</summary>
internal enum RequestKind : byte
{
    /// <summary>Plugged, merged, scheduled by the elevator.</summary>
    Normal,

    /// <summary>Carries preflush/post-flush steps (or is an empty flush): sequenced by the <see cref="FlushSequencer"/>, never merged or scheduled.</summary>
    Sequenced,

    /// <summary>A device cache flush the sequencer issues on behalf of its waiters.</summary>
    FlushCommand,
}

/// <summary>The steps of a flush-sequenced request (blk-flush's REQ_FSEQ_*), done in this order.</summary>
[Flags]
internal enum FlushSteps : byte
{
    None = 0,
    Preflush = 1,
    Data = 2,
    Postflush = 4,
}

/// <summary>
/// The queue's private state for one pooled <see cref="Request"/>: the request's partition, its place in the queue's
/// lists, its timeout and flush sequence. Kept beside the request so the pinned request type needs no queue fields;
/// the queue reaches it through its tag while the request is at the device and through the sector index while
/// the elevator holds it.
/// </summary>
internal sealed class RequestContext
{
    public readonly Request Request = new();

    /// <summary>The device the bios were submitted to (a partition or the disk): whose statistics the request counts in.</summary>
    public BlockDevice? Device;

    public RequestKind Kind;

    /// <summary>Held by the elevator: present in the queue's sector indexes and its held list.</summary>
    public bool IsHeld;

    /// <summary>The elevator that released the request; it hears of the completion even after a scheduler switch.</summary>
    public IElevator? ReleasedBy;

    /// <summary>When the request's time at the device runs out.</summary>
    public long Deadline;

    public FlushSteps RemainingSteps;

    /// <summary>The flush step a sequenced request is waiting for while it sits on the sequencer's lists.</summary>
    public FlushSteps WaitingFor;

    /// <summary>Links of the one queue list the context is on (plug, held, dispatch or flush lists).</summary>
    public ListLinks<RequestContext> QueueLinks;

    /// <summary>Times the driver handed this request back (bounded by QueueOptions.MaxRequeues).</summary>
    public int Requeues;

    /// <summary>Clears everything for the next use of the pooled request.</summary>
    /// <summary>Counted against the queue's nr_requests (every request made from a bio; not blk-flush's own flush commands).</summary>
    public bool HoldsRequestSlot;

    public void Reset()
    {
        Request r = Request;
        r.Op = BioOp.Read;
        r.Flags = BioFlags.None;
        r.Sector = 0;
        r.SectorCount = 0;
        r.ProcessId = 0;
        r.FirstBio = null;
        r.LastBio = null;
        r.BioCount = 0;
        r.SegmentCount = 0;
        r.Tag = -1;
        r.StartTime = 0;
        r.InsertTime = 0;
        r.IssueTime = 0;
        r.Retries = 0;
        Requeues = 0;
        ClearElevatorFields();
        Device = null;
        Kind = RequestKind.Normal;
        IsHeld = false;
        ReleasedBy = null;
        Deadline = 0;
        RemainingSteps = FlushSteps.None;
        WaitingFor = FlushSteps.None;
    }

    /// <summary>Gives a scheduler a clean slate (on insertion, and when moving to a new scheduler).</summary>
    public void ClearElevatorFields()
    {
        Request r = Request;
        r.ElevatorDeadline = 0;
        r.ElevatorLinks = default;
        r.ElevatorIndex = -1;
        r.ElevatorData = null;
    }

    public override string ToString() => $"{Kind} {Request}";
}
