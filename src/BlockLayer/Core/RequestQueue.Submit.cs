using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// Intake: a validated bio becomes (part of) a request - split to the limits, merged into a plugged or held request,
// or made into a new request that goes to the plug, the elevator or the flush sequencer.
public sealed partial class RequestQueue
{
    private const BioFlags NoMergeFlags = BioFlags.Fua | BioFlags.Preflush;

    /// <summary>Queues a bio the <paramref name="device"/> has validated; it completes through its <see cref="Bio.Completion"/>.</summary>
    internal void SubmitValidated(BlockDevice device, Bio bio)
    {
        BioFlags flags = bio.Flags;
        if (!Limits.WriteCache)
        {
            // Without a volatile cache there is nothing to flush: drop the flags, and an empty flush is done at once.
            flags &= ~NoMergeFlags;
            if (bio.Op == BioOp.Flush)
            {
                bio.Complete(Errno.None);
                return;
            }
        }
        long diskSector = device.StartSector + bio.Sector;
        Statistics.BiosQueued++;
        TraceBio(BlockTraceAction.Queue, bio, diskSector);
        int segments = bio.Op is BioOp.Read or BioOp.Write ? SegmentCounter.CountSegments(bio.Segments, Limits.MaxSegmentSize) : 0;
        if (ExceedsLimits(bio, segments))
            Split(device, bio, diskSector, flags);
        else
            SubmitPiece(device, bio, diskSector, flags, segments);
    }

    private bool ExceedsLimits(Bio bio, int segments) => bio.Op switch
    {
        BioOp.Read or BioOp.Write => bio.SectorCount > Limits.MaxSectors || segments > Limits.MaxSegments,
        BioOp.Discard => bio.SectorCount > Limits.MaxDiscardSectors,
        _ => false,
    };

    private void SubmitPiece(BlockDevice device, Bio bio, long diskSector, BioFlags flags, int segments)
    {
        if (IsAsleepForRequest(bio.ProcessId))
        {
            WaitForRequest(device, bio, diskSector, flags, segments);
            return;
        }
        if (NeedsFlushSequence(bio.Op, flags))
        {
            if (MustWaitForRequest(bio.Op, flags))
                WaitForRequest(device, bio, diskSector, flags, segments);
            else
                _flush.Start(NewRequest(device, bio, diskSector, flags, segments), flags);
            return;
        }
        BlockPlug? plug = _plugs.TryGetValue(bio.ProcessId, out BlockPlug? p) && p.IsActive ? p : null;
        if (Options.Merges && (flags & NoMergeFlags) == 0)
        {
            if (plug is not null && TryPlugMerge(plug, device, bio, diskSector, segments))
                return;
            if (TryElevatorMerge(device, bio, diskSector, segments))
                return;
        }
        if (MustWaitForRequest(bio.Op, flags))
        {
            WaitForRequest(device, bio, diskSector, flags, segments);
            return;
        }
        RequestContext context = NewRequest(device, bio, diskSector, flags, segments);
        if (plug is not null)
        {
            AddToPlug(plug, context);
        }
        else
        {
            InsertIntoElevator(context);
            RunDispatch();
        }
    }

    private bool NeedsFlushSequence(BioOp op, BioFlags flags) =>
        op == BioOp.Flush || (flags & BioFlags.Preflush) != 0 || ((flags & BioFlags.Fua) != 0 && !Limits.Fua);

    private RequestContext NewRequest(BlockDevice device, Bio bio, long diskSector, BioFlags flags, int segments)
    {
        RequestContext context = RentContext();
        TakeRequestSlot(context);
        Request request = context.Request;
        context.Device = device;
        request.Op = bio.Op;
        // What the driver sees: preflush and an emulated FUA are separate flush requests, never flags on the data.
        request.Flags = flags & ~(Limits.Fua ? BioFlags.Preflush : NoMergeFlags);
        request.Sector = diskSector;
        request.SectorCount = bio.SectorCount;
        request.ProcessId = bio.ProcessId;
        request.FirstBio = bio;
        request.LastBio = bio;
        request.BioCount = 1;
        request.SegmentCount = segments;
        request.StartTime = Simulation.Now;
        bio.Next = null;
        Statistics.RequestsAllocated++;
        TraceBio(BlockTraceAction.GetRequest, bio, diskSector);
        return context;
    }

    internal RequestContext RentContext()
    {
        if (!_freeContexts.TryPop(out RequestContext? context))
            context = new RequestContext();
        return context;
    }

    internal void ReturnContext(RequestContext context)
    {
        ReleaseRequestSlot(context);
        context.Reset();
        _freeContexts.Push(context);
    }
}
