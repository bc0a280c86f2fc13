using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tracing;

namespace Hardware.BlockLayer;

// Merging: a bio joins a plugged or held request that it continues (back) or precedes (front); held requests that
// come to touch are merged into one (attempt_back_merge / attempt_front_merge / insert merge). The elevator may veto
// any merge of what it holds and hears of every one.
public sealed partial class RequestQueue
{
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
        for (RequestContext? context = plug.Requests.Last; context is not null; context = RequestContextList.Previous(context))
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
}
