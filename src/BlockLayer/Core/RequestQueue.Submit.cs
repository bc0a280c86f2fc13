using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Stats;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// Intake: a validated bio becomes (part of) a request - split to the limits, merged into a plugged or held request,
// or made into a new request that goes to the plug, the elevator or the flush sequencer.
public sealed partial class RequestQueue
{
    private const BioFlags NoMergeFlags = BioFlags.Fua | BioFlags.Preflush;

    private readonly Dictionary<Bio, SplitParent> _splitChildren;
    private readonly Stack<Bio> _freeChildren = new();
    private readonly Stack<SplitParent> _freeSplitParents = new();

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
        if (NeedsFlushSequence(bio.Op, flags))
        {
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
        context.Reset();
        _freeContexts.Push(context);
    }

    // ---- merging bios ----

    private bool CanMerge(RequestContext context, BlockDevice device, Bio bio, int segments)
    {
        Request request = context.Request;
        if (context.Kind != RequestKind.Normal || request.Op != bio.Op || !ReferenceEquals(context.Device, device)
            || (request.Flags & NoMergeFlags) != 0)
            return false;
        return FitsLimits(request, bio.SectorCount, segments);
    }

    private bool FitsLimits(Request request, long extraSectors, int extraSegments) => request.Op == BioOp.Discard
        ? request.SectorCount + extraSectors <= Limits.MaxDiscardSectors
        : request.SectorCount + extraSectors <= Limits.MaxSectors && request.SegmentCount + extraSegments <= Limits.MaxSegments;

    private bool TryPlugMerge(BlockPlug plug, BlockDevice device, Bio bio, long diskSector, int segments)
    {
        long diskEnd = diskSector + bio.SectorCount;
        for (RequestContext? context = plug.Requests.Tail; context is not null; context = context.Previous)
        {
            Request request = context.Request;
            if (request.EndSector == diskSector && CanMerge(context, device, bio, segments))
            {
                AppendBio(context, bio, segments);
                RecordBioMerge(context, bio, diskSector, MergeKind.Back);
                return true;
            }
            if (Options.FrontMerges && request.Sector == diskEnd && CanMerge(context, device, bio, segments))
            {
                PrependBio(context, bio, diskSector, segments);
                RecordBioMerge(context, bio, diskSector, MergeKind.Front);
                return true;
            }
        }
        return false;
    }

    private bool TryElevatorMerge(BlockDevice device, Bio bio, long diskSector, int segments)
    {
        for (int entry = _byEnd.FindFirst(diskSector); entry >= 0; entry = _byEnd.FindNext(entry))
        {
            RequestContext context = _byEnd[entry];
            if (!CanMerge(context, device, bio, segments))
                continue;
            if (!Elevator.AllowMerge(context.Request, bio, MergeKind.Back))
            {
                Statistics.MergesVetoed++;
                continue;
            }
            _byEnd.Remove(context.Request.EndSector, context);
            AppendBio(context, bio, segments);
            _byEnd.Add(context.Request.EndSector, context);
            RecordBioMerge(context, bio, diskSector, MergeKind.Back);
            Elevator.Merged(context.Request, MergeKind.Back);
            CoalesceNeighbours(context);
            return true;
        }
        if (!Options.FrontMerges)
            return false;
        long diskEnd = diskSector + bio.SectorCount;
        for (int entry = _byStart.FindFirst(diskEnd); entry >= 0; entry = _byStart.FindNext(entry))
        {
            RequestContext context = _byStart[entry];
            if (!CanMerge(context, device, bio, segments))
                continue;
            if (!Elevator.AllowMerge(context.Request, bio, MergeKind.Front))
            {
                Statistics.MergesVetoed++;
                continue;
            }
            _byStart.Remove(context.Request.Sector, context);
            PrependBio(context, bio, diskSector, segments);
            _byStart.Add(context.Request.Sector, context);
            RecordBioMerge(context, bio, diskSector, MergeKind.Front);
            Elevator.Merged(context.Request, MergeKind.Front);
            CoalesceNeighbours(context);
            return true;
        }
        return false;
    }

    private static void AppendBio(RequestContext context, Bio bio, int segments)
    {
        Request request = context.Request;
        bio.Next = null;
        request.LastBio!.Next = bio;
        request.LastBio = bio;
        request.SectorCount += bio.SectorCount;
        request.SegmentCount += segments;
        request.BioCount++;
    }

    private static void PrependBio(RequestContext context, Bio bio, long diskSector, int segments)
    {
        Request request = context.Request;
        bio.Next = request.FirstBio;
        request.FirstBio = bio;
        request.Sector = diskSector;
        request.SectorCount += bio.SectorCount;
        request.SegmentCount += segments;
        request.BioCount++;
    }

    private void RecordBioMerge(RequestContext context, Bio bio, long diskSector, MergeKind kind)
    {
        if (kind == MergeKind.Back)
            Statistics.BackMerges++;
        else
            Statistics.FrontMerges++;
        AccountMerge(context);
        TraceBio(kind == MergeKind.Back ? BlockTraceAction.BackMerge : BlockTraceAction.FrontMerge, bio, diskSector);
    }

    // ---- merging requests ----

    /// <summary>
    /// After <paramref name="context"/> (held by the elevator) grew, merges the held request that now starts at its end
    /// into it (attempt_back_merge), then merges it into the held request that ends at its start (attempt_front_merge).
    /// </summary>
    private void CoalesceNeighbours(RequestContext context)
    {
        if (FindMergeableHeld(_byStart, context.Request.EndSector, context, after: true) is { } next)
            MergeHeldRequests(context, next);
        if (FindMergeableHeld(_byEnd, context.Request.Sector, context, after: false) is { } previous)
            MergeHeldRequests(previous, context);
    }

    /// <summary>A held request filed under <paramref name="key"/> that may join <paramref name="context"/> (after it or before it).</summary>
    private RequestContext? FindMergeableHeld(SectorIndex index, long key, RequestContext context, bool after)
    {
        for (int entry = index.FindFirst(key); entry >= 0; entry = index.FindNext(entry))
        {
            RequestContext other = index[entry];
            if (ReferenceEquals(other, context))
                continue;
            RequestContext front = after ? context : other;
            RequestContext back = after ? other : context;
            if (!CanMergeRequests(front, back))
                continue;
            if (!Elevator.AllowMerge(front.Request, back.Request.FirstBio!, MergeKind.Back))
            {
                Statistics.MergesVetoed++;
                continue;
            }
            return other;
        }
        return null;
    }

    private bool CanMergeRequests(RequestContext front, RequestContext back)
    {
        Request a = front.Request;
        Request b = back.Request;
        return front.Kind == RequestKind.Normal && back.Kind == RequestKind.Normal && a.Op == b.Op
            && ReferenceEquals(front.Device, back.Device) && a.EndSector == b.Sector
            && ((a.Flags | b.Flags) & NoMergeFlags) == 0 && FitsLimits(a, b.SectorCount, b.SegmentCount);
    }

    /// <summary>Moves the bios of held <paramref name="back"/> to the end of held <paramref name="front"/>; back leaves the elevator.</summary>
    private void MergeHeldRequests(RequestContext front, RequestContext back)
    {
        Unhold(back);
        _byEnd.Remove(front.Request.EndSector, front);
        JoinRequests(front, back);
        _byEnd.Add(front.Request.EndSector, front);
        Elevator.RequestsMerged(front.Request, back.Request);
        ReturnContext(back);
    }

    /// <summary>Chains the bios of <paramref name="back"/> after those of <paramref name="front"/> and accounts the merge.</summary>
    private void JoinRequests(RequestContext front, RequestContext back)
    {
        Request a = front.Request;
        Request b = back.Request;
        a.LastBio!.Next = b.FirstBio;
        a.LastBio = b.LastBio;
        a.SectorCount += b.SectorCount;
        a.SegmentCount += b.SegmentCount;
        a.BioCount += b.BioCount;
        // The merged request is as old as the older of the two (attempt_merge keeps the smaller start time).
        a.StartTime = Math.Min(a.StartTime, b.StartTime);
        b.FirstBio = null;
        b.LastBio = null;
        Statistics.RequestMerges++;
        AccountMerge(front);
        TraceRequest(BlockTraceAction.BackMerge, b);
    }

    // ---- splitting ----

    private void Split(BlockDevice device, Bio bio, long diskSector, BioFlags flags)
    {
        if (!_freeSplitParents.TryPop(out SplitParent? parent))
            parent = new SplitParent();
        parent.Start(bio);
        Statistics.Splits++;
        TraceBio(BlockTraceAction.Split, bio, diskSector);
        if (bio.Op == BioOp.Discard)
            SplitDiscard(device, bio, diskSector, flags, parent);
        else
            SplitData(device, bio, diskSector, flags, parent);
        FinishSplitChild(parent, Errno.None); // the submission guard
    }

    private void SplitDiscard(BlockDevice device, Bio bio, long diskSector, BioFlags flags, SplitParent parent)
    {
        for (long done = 0; done < bio.SectorCount;)
        {
            int count = (int)Math.Min(bio.SectorCount - done, Limits.MaxDiscardSectors);
            Bio child = RentChild(bio, parent, done);
            child.SectorCount = count;
            SubmitPiece(device, child, diskSector + done, flags, 0);
            done += count;
        }
    }

    /// <summary>Cuts a read or write into children within MaxSectors and MaxSegments, cutting a segment where it must (bio_split).</summary>
    private void SplitData(BlockDevice device, Bio bio, long diskSector, BioFlags flags, SplitParent parent)
    {
        long maxBytes = (long)Limits.MaxSectors * Bio.SectorSize;
        int block = Limits.LogicalBlockSize;
        Bio? child = null;
        long childStart = 0;
        long childBytes = 0;
        var counter = new SegmentCounter(Limits.MaxSegmentSize);
        foreach (BioSegment segment in bio.Segments)
        {
            long done = 0;
            while (done < segment.Length)
            {
                ulong address = segment.Address + (ulong)done;
                long take = counter.Fit(address, Math.Min(segment.Length - done, maxBytes - childBytes), Limits.MaxSegments, block);
                if (take == 0)
                {
                    SubmitPiece(device, child!, diskSector + childStart, flags, counter.Count);
                    childStart += childBytes / Bio.SectorSize;
                    child = null;
                    childBytes = 0;
                    counter = new SegmentCounter(Limits.MaxSegmentSize);
                    continue;
                }
                child ??= RentChild(bio, parent, childStart);
                child.AddSegment(new BioSegment(address, (int)take));
                counter.Add(address, take);
                childBytes += take;
                done += take;
                if (childBytes == maxBytes)
                {
                    SubmitPiece(device, child, diskSector + childStart, flags, counter.Count);
                    childStart += childBytes / Bio.SectorSize;
                    child = null;
                    childBytes = 0;
                    counter = new SegmentCounter(Limits.MaxSegmentSize);
                }
            }
        }
        if (child is not null)
            SubmitPiece(device, child, diskSector + childStart, flags, counter.Count);
    }

    /// <summary>A pooled bio for the piece of <paramref name="parent"/> starting <paramref name="offset"/> sectors in; it carries all the parent's flags, as bio_split's clones do.</summary>
    private Bio RentChild(Bio bio, SplitParent parent, long offset)
    {
        if (!_freeChildren.TryPop(out Bio? child))
            child = new Bio(Simulation);
        child.Reset(bio.Op, bio.Sector + offset, bio.Flags, bio.ProcessId);
        parent.Pending++;
        _splitChildren.Add(child, parent);
        return child;
    }

    private void FinishSplitChild(SplitParent parent, Errno status)
    {
        if (!parent.ChildDone(status))
            return;
        Bio bio = parent.Bio!;
        Errno result = parent.Status;
        parent.Bio = null;
        _freeSplitParents.Push(parent);
        bio.Complete(result);
    }

    // ---- tracing ----

    private void TraceBio(BlockTraceAction action, Bio bio, long diskSector)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, bio.Op, bio.Flags, diskSector, TraceBytes(bio.SectorCount),
                bio.ProcessId, TraceDevice));
    }

    internal void TraceRequest(BlockTraceAction action, Request request, Errno error = Errno.None)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, request.Op, request.Flags, request.Sector,
                TraceBytes(request.SectorCount), request.ProcessId, TraceDevice, error));
    }

    private void TracePlug(BlockTraceAction action, int processId, int depth)
    {
        if (Tracer is { } tracer)
            tracer.Trace(new BlockTraceEvent(Simulation.Now, action, BioOp.Read, BioFlags.None, 0, 0, processId, TraceDevice, Depth: depth));
    }

    private static int TraceBytes(long sectors) => (int)Math.Min(sectors * Bio.SectorSize, int.MaxValue);

    // ---- accounting ----

    private static StatGroup? GroupOf(BioOp op) => op switch
    {
        BioOp.Read => StatGroup.Read,
        BioOp.Write => StatGroup.Write,
        BioOp.Discard => StatGroup.Discard,
        _ => null,
    };

    private static void AccountMerge(RequestContext context)
    {
        if (GroupOf(context.Request.Op) is not { } group)
            return;
        BlockDevice device = context.Device!;
        device.Stats.AddMerge(group);
        if (device.IsPartition)
            device.Disk.Stats.AddMerge(group);
    }
}
