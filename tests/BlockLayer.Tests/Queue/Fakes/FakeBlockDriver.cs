using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Queue.Fakes;

/// <summary>What the fake driver does with one request it is handed.</summary>
public enum DriverActionKind
{
    /// <summary>Complete after the latency with the status.</summary>
    Complete,
    /// <summary>Answer "not now" (TryQueueRequest returns false).</summary>
    Busy,
    /// <summary>Take it, then requeue it after the latency (as error recovery does).</summary>
    Requeue,
    /// <summary>Take it and never answer (until the timeout handler runs).</summary>
    Hang,
}

public readonly record struct DriverAction(DriverActionKind Kind, Errno Status = Errno.None, long LatencyNs = -1)
{
    public static DriverAction Ok => new(DriverActionKind.Complete);
    public static DriverAction Busy => new(DriverActionKind.Busy);
    public static DriverAction Fail(Errno status) => new(DriverActionKind.Complete, status);
}

/// <summary>A request as the driver saw it at issue.</summary>
public readonly record struct IssuedRequest(long Time, BioOp Op, BioFlags Flags, long Sector, int SectorCount, int SegmentCount,
    int BioCount, int Tag, int Retries, int ProcessId);

/// <summary>
/// A block driver without hardware: completes requests after a configurable latency with a configurable status,
/// answers "busy", requeues or hangs on demand, and checks on every issue what any real driver relies on (tags in
/// range and unique, requests within the queue limits, bios chained in order). A write-back cache model tells
/// which writes are durable: a write is durable once written with FUA or once a flush issued after its
/// completion has completed. Allocates nothing per request unless recording.
/// </summary>
public sealed class FakeBlockDriver : IBlockDriver, ISimEventHandler
{
    private readonly Simulation _simulation;
    private readonly Request?[] _byTag;
    private readonly DriverAction[] _actionByTag;
    private readonly long[] _writeSeqAtFlushIssue;
    private IBlockDriverHost? _host;
    private long _completedWrites;

    public FakeBlockDriver(Simulation simulation, QueueLimits? limits = null, long capacitySectors = 1 << 21)
    {
        _simulation = simulation;
        Info = new BlockDriverInfo("FAKE DISK", "FAKE0001", capacitySectors, limits ?? new QueueLimits());
        _byTag = new Request?[Info.Limits.QueueDepth];
        _actionByTag = new DriverAction[Info.Limits.QueueDepth];
        _writeSeqAtFlushIssue = new long[Info.Limits.QueueDepth];
    }

    public BlockDriverInfo Info { get; }

    public long LatencyNs { get; set; } = 100 * SimTime.Microsecond;

    /// <summary>Decides per request; null completes every request successfully after <see cref="LatencyNs"/>.</summary>
    public Func<Request, DriverAction>? Decide { get; set; }

    /// <summary>What to do when the queue reports a timeout; null completes the request with EIO.</summary>
    public Action<Request, IBlockDriverHost>? OnTimeout { get; set; }

    /// <summary>Called for every request the driver accepted, before anything else happens to it.</summary>
    public Action<Request>? OnAccepted { get; set; }

    /// <summary>Called just before a request is completed to the queue (its bios are still chained).</summary>
    public Action<Request, Errno>? OnCompleting { get; set; }

    public bool Record { get; set; } = true;

    public List<IssuedRequest> Issued { get; } = [];

    public List<Request> TimedOut { get; } = [];

    public int InFlight { get; private set; }

    public int MaxInFlight { get; private set; }

    /// <summary>Writes completed at the device so far (the cache model's clock).</summary>
    public long CompletedWrites => _completedWrites;

    /// <summary>Every write whose completion number is at most this is durable (flushed).</summary>
    public long DurableWatermark { get; private set; }

    public IBlockDriverHost Host => _host ?? throw new InvalidOperationException("not attached");

    public void Attach(IBlockDriverHost host)
    {
        if (_host is not null)
            throw new InvalidOperationException("attached twice");
        _host = host;
    }

    public bool TryQueueRequest(Request request)
    {
        CheckRequest(request);
        DriverAction action = Decide?.Invoke(request) ?? DriverAction.Ok;
        if (Record)
            Issued.Add(new IssuedRequest(_simulation.Now, request.Op, request.Flags, request.Sector, request.SectorCount,
                request.SegmentCount, request.BioCount, request.Tag, request.Retries, request.ProcessId));
        if (action.Kind == DriverActionKind.Busy)
            return false;
        _byTag[request.Tag] = request;
        _actionByTag[request.Tag] = action;
        _writeSeqAtFlushIssue[request.Tag] = _completedWrites;
        InFlight++;
        MaxInFlight = Math.Max(MaxInFlight, InFlight);
        OnAccepted?.Invoke(request);
        if (action.Kind != DriverActionKind.Hang)
            _simulation.Schedule(action.LatencyNs >= 0 ? action.LatencyNs : LatencyNs, this, request.Tag);
        return true;
    }

    public void TimeoutRequest(Request request)
    {
        if (Record)
            TimedOut.Add(request);
        if (OnTimeout is { } handler)
            handler(request, Host);
        else
            Complete(request, Errno.EIO);
    }

    /// <summary>Ends a request this driver holds, as an interrupt handler would.</summary>
    public void Complete(Request request, Errno status)
    {
        Take(request);
        if (status == Errno.None && request.Op == BioOp.Write)
            _completedWrites++;
        if (status == Errno.None && request.Op == BioOp.Flush)
            DurableWatermark = Math.Max(DurableWatermark, _writeSeqAtFlushIssue[request.Tag]);
        OnCompleting?.Invoke(request, status);
        Host.CompleteRequest(request, status);
    }

    /// <summary>Hands a request this driver holds back to the queue for another try.</summary>
    public void Requeue(Request request)
    {
        Take(request);
        request.Retries++; // the driver blames the request, as a real driver's error handler does
        Host.RequeueRequest(request);
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        int tag = (int)argument;
        Request request = _byTag[tag] ?? throw new InvalidOperationException($"fake driver: no request on tag {tag}");
        DriverAction action = _actionByTag[tag];
        if (action.Kind == DriverActionKind.Requeue)
            Requeue(request);
        else
            Complete(request, action.Status);
    }

    private void Take(Request request)
    {
        if (request.Tag < 0 || !ReferenceEquals(_byTag[request.Tag], request))
            throw new InvalidOperationException($"fake driver: {request} is not held");
        _byTag[request.Tag] = null;
        InFlight--;
    }

    private void CheckRequest(Request request)
    {
        QueueLimits limits = Info.Limits;
        if (request.Tag < 0 || request.Tag >= limits.QueueDepth)
            throw Bug(request, "tag out of range");
        if (_byTag[request.Tag] is not null)
            throw Bug(request, $"tag {request.Tag} is still in use");
        if ((request.Flags & BioFlags.Preflush) != 0)
            throw Bug(request, "preflush must reach the driver as a separate flush");
        if ((request.Flags & BioFlags.Fua) != 0 && !limits.Fua)
            throw Bug(request, "FUA on a device without FUA");
        if (request.Op == BioOp.Flush)
        {
            if (request.SectorCount != 0 || request.FirstBio is not null)
                throw Bug(request, "a flush carries no data");
            return;
        }
        if (request.SectorCount <= 0)
            throw Bug(request, "empty request");
        if (request.Sector < 0 || request.EndSector > Info.CapacitySectors)
            throw Bug(request, "beyond the disk");
        long maxSectors = request.Op == BioOp.Discard ? limits.MaxDiscardSectors : Math.Min(limits.MaxSectors, limits.MaxHardwareSectors);
        if (request.SectorCount > maxSectors)
            throw Bug(request, $"{request.SectorCount} sectors over the limit {maxSectors}");
        int bios = 0;
        long sectors = 0;
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
        {
            if (bio.Op != request.Op)
                throw Bug(request, "a bio of another operation");
            if (++bios > request.BioCount)
                throw Bug(request, "bio chain longer than BioCount");
            sectors += bio.SectorCount;
        }
        if (bios != request.BioCount || sectors != request.SectorCount)
            throw Bug(request, $"bio chain of {bios} bios / {sectors} sectors");
        if (!ReferenceEquals(LastBio(request), request.LastBio))
            throw Bug(request, "LastBio is not the end of the chain");
        if (request.Op != BioOp.Discard)
        {
            int mapped = MappedSegments(request, limits.MaxSegmentSize);
            if (request.SegmentCount > limits.MaxSegments || mapped > request.SegmentCount)
                throw Bug(request, $"{request.SegmentCount} counted / {mapped} mapped segments, limit {limits.MaxSegments}");
        }
    }

    /// <summary>The scatter-gather entries the request needs, built as blk_rq_map_sg does (an independent oracle).</summary>
    public static int MappedSegments(Request request, int maxSegmentSize)
    {
        int count = 0;
        ulong end = 0;
        long last = 0;
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
        {
            foreach (BioSegment segment in bio.Segments)
            {
                if (count > 0 && segment.Address == end && last + segment.Length <= maxSegmentSize)
                {
                    last += segment.Length;
                }
                else
                {
                    int pieces = (segment.Length + maxSegmentSize - 1) / maxSegmentSize;
                    count += pieces;
                    last = segment.Length - (long)(pieces - 1) * maxSegmentSize;
                }
                end = segment.Address + (ulong)segment.Length;
            }
        }
        return count;
    }

    private static Bio? LastBio(Request request)
    {
        Bio? bio = request.FirstBio;
        while (bio?.Next is not null)
            bio = bio.Next;
        return bio;
    }

    // Messages are built only on failure: the checks run on every request of the allocation test.
    private static InvalidOperationException Bug(Request request, string what) => new($"fake driver: {what}: {request}");
}
