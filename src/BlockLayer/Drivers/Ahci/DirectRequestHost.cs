using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// The smallest host a disk needs when no request queue owns it (the boot workload): FIFO order, one tag per request,
/// a retry after every completion when the driver said "not now", requeued requests first, and a timeout per request.
/// No merging, plugging or scheduling. Requests and bios are pooled.
/// </summary>
internal sealed class DirectRequestHost : IBlockDriverHost
{
    private readonly AhciPortDriver _driver;
    private readonly long _timeoutNs;
    private readonly Request?[] _atDevice;
    private readonly SimTimer[] _timers;
    private readonly Queue<Request> _requeued = new();
    private readonly Queue<Request> _waiting = new();
    private readonly Stack<Request> _spareRequests = new();
    private readonly Stack<Bio> _spareBios = new();
    private int _inFlight;
    private bool _dispatching;

    public DirectRequestHost(AhciPortDriver driver, Simulation simulation, long timeoutNs)
    {
        _driver = driver;
        Simulation = simulation;
        _timeoutNs = timeoutNs;
        int depth = driver.QueueDepth;
        _atDevice = new Request?[depth];
        _timers = new SimTimer[depth];
        for (int tag = 0; tag < depth; tag++)
        {
            int owner = tag;
            _timers[tag] = new SimTimer(simulation, () => OnTimeout(owner));
        }
    }

    public Simulation Simulation { get; }

    public bool IsIdle => _inFlight == 0 && _waiting.Count == 0 && _requeued.Count == 0;

    /// <summary>Runs one I/O through the driver and returns how it ended.</summary>
    public async ValueTask<Errno> SubmitAsync(BioOp op, long sector, BioFlags flags, ReadOnlyMemory<BioSegment> segments)
    {
        Bio bio = _spareBios.Count > 0 ? _spareBios.Pop() : new Bio(Simulation);
        bio.Reset(op, sector, flags);
        foreach (BioSegment segment in segments.Span)
            bio.AddSegment(segment);
        Request request = _spareRequests.Count > 0 ? _spareRequests.Pop() : new Request();
        request.Op = op;
        request.Flags = flags;
        request.Sector = sector;
        request.SectorCount = bio.SectorCount;
        request.ProcessId = 0;
        request.FirstBio = bio;
        request.LastBio = bio;
        request.BioCount = 1;
        request.SegmentCount = segments.Length;
        request.Tag = -1;
        request.Retries = 0;
        request.StartTime = Simulation.Now;
        request.InsertTime = Simulation.Now;
        _waiting.Enqueue(request);
        Dispatch();
        Errno status = await bio.Completion.Task;
        request.FirstBio = null;
        request.LastBio = null;
        _spareRequests.Push(request);
        _spareBios.Push(bio);
        return status;
    }

    public void CompleteRequest(Request request, Errno status)
    {
        Release(request);
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
            bio.Complete(status);
        Dispatch();
    }

    public void RequeueRequest(Request request)
    {
        Release(request);
        _requeued.Enqueue(request);
        Dispatch();
    }

    private void Release(Request request)
    {
        int tag = request.Tag;
        _timers[tag].Cancel();
        _atDevice[tag] = null;
        request.Tag = -1;
        _inFlight--;
    }

    private void Dispatch()
    {
        if (_dispatching)
            return;
        _dispatching = true;
        while (true)
        {
            Queue<Request> source = _requeued.Count > 0 ? _requeued : _waiting;
            if (source.Count == 0)
                break;
            int tag = Array.IndexOf(_atDevice, null);
            if (tag < 0)
                break;
            Request request = source.Peek();
            request.Tag = tag;
            request.IssueTime = Simulation.Now;
            _atDevice[tag] = request;
            _inFlight++;
            if (!_driver.TryQueueRequest(request))
            {
                _atDevice[tag] = null;
                _inFlight--;
                request.Tag = -1;
                break;
            }
            source.Dequeue();
            _timers[tag].Arm(_timeoutNs);
        }
        _dispatching = false;
    }

    private void OnTimeout(int tag)
    {
        if (_atDevice[tag] is { } request)
            _driver.TimeoutRequest(request);
    }
}
