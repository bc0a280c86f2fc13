using Hardware.Emulator.Collections;

namespace Hardware.BlockLayer;

/// <summary>
/// What the queue schedules and the driver executes (Linux's struct request): one or more merged bios covering a
/// contiguous sector range with one operation. Pooled by the queue; the fields under "elevator" belong to the
/// scheduler that currently holds the request, so a scheduler needs no allocation per request.
/// </summary>
public sealed class Request
{
    public BioOp Op { get; set; }

    public BioFlags Flags { get; set; }

    /// <summary>First sector on the whole disk (partition offsets already applied).</summary>
    public long Sector { get; set; }

    public int SectorCount { get; set; }

    public long EndSector => Sector + SectorCount;

    /// <summary>The process whose bio started the request; schedulers use it for fairness.</summary>
    public int ProcessId { get; set; }

    /// <summary>The bios in sector order, linked through <see cref="Bio.Next"/>.</summary>
    public Bio? FirstBio { get; set; }

    public Bio? LastBio { get; set; }

    public int BioCount { get; set; }

    /// <summary>Data segments over all bios (checked against the queue's max-segments limit when merging).</summary>
    public int SegmentCount { get; set; }

    /// <summary>Driver tag while the request is at the device; -1 otherwise.</summary>
    public int Tag { get; set; } = -1;

    /// <summary>Virtual time the request was allocated (its first bio was queued).</summary>
    public long StartTime { get; set; }

    /// <summary>Virtual time it was handed to the scheduler.</summary>
    public long InsertTime { get; set; }

    /// <summary>Virtual time it was issued to the driver.</summary>
    public long IssueTime { get; set; }

    /// <summary>How many times it has been requeued after an error or timeout.</summary>
    public int Retries { get; set; }

    public bool IsSync => IsSyncOp(Op, Flags);

    /// <summary>op_is_sync: reads, and writes someone waits for (sync, FUA or preflush).</summary>
    public static bool IsSyncOp(BioOp op, BioFlags flags) => op == BioOp.Read || (flags & (BioFlags.Sync | BioFlags.Fua | BioFlags.Preflush)) != 0;

    public bool IsRead => Op == BioOp.Read;

    // ---- elevator: owned by the scheduler between Insert and Dispatch ----

    /// <summary>Expiry time for deadline-style schedulers.</summary>
    public long ElevatorDeadline { get; set; }

    /// <summary>Links of the scheduler's FIFO list the request is on (<see cref="Schedulers.RequestList"/>).</summary>
    public ListLinks<Request> ElevatorLinks;

    /// <summary>Position in a scheduler's index structure (heap slot, tree node index), -1 when none.</summary>
    public int ElevatorIndex { get; set; } = -1;

    /// <summary>Scheduler-private state (e.g. BFQ's per-process queue).</summary>
    public object? ElevatorData { get; set; }

    public override string ToString() => $"{Op} {Sector}+{SectorCount} pid {ProcessId}{(Tag >= 0 ? $" tag {Tag}" : "")}";
}
