using Hardware.BlockLayer.Schedulers;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>
/// Drives one elevator the way a request queue would, without one: requests are inserted, dispatched whenever the
/// simulated device has room, and reported complete when the device is done; <see cref="IElevatorQueue.RunAt"/>
/// brings the dispatch loop back at the asked time. With tracking on, every step is checked: nothing dispatched
/// that was not held, nothing twice, <see cref="IElevator.HasPending"/> truthful. Steady state allocates nothing.
/// </summary>
public sealed class ElevatorHarness
{
    private readonly Stack<Request> _pool = new(256);
    private readonly HashSet<Request>? _held;
    private readonly List<Request>? _heldInOrder;
    private readonly Dictionary<int, ProcessStats> _stats = [];
    private readonly Dictionary<int, IWorkloadProcess> _processes = [];
    private readonly List<DispatchRecord>? _dispatches;
    private readonly Dictionary<Request, long>? _ids;
    private long _nextId;
    private bool _pumping;

    public ElevatorHarness(IElevator elevator, HarnessOptions? options = null)
    {
        Options = options ?? new HarnessOptions();
        Elevator = elevator;
        Simulation = new Simulation(Options.Seed);
        Queue = new FakeElevatorQueue(Simulation, Options.CapacitySectors, Options.Rotational, Options.QueueDepth)
        {
            HeadPosition = Options.InitialHead,
            HeadOnRequestStart = Options.HeadOnRequestStart,
        };
        Device = new SimulatedDevice(Simulation, Options.Model ?? new RotationalModel(Options.CapacitySectors),
            Options.QueueDepth, Options.Channels, Options.InitialHead)
        {
            HeadOnRequestStart = Options.HeadOnRequestStart,
        };
        Queue.RunDue = PumpIfAuto;
        Device.Completed = OnDeviceCompleted;
        if (Options.Track)
        {
            _held = new HashSet<Request>(ReferenceEqualityComparer.Instance);
            _heldInOrder = [];
            _ids = new Dictionary<Request, long>(ReferenceEqualityComparer.Instance);
        }
        if (Options.RecordDispatches)
            _dispatches = [];
        Elevator.Attach(Queue);
    }

    public HarnessOptions Options { get; }

    public IElevator Elevator { get; }

    public Simulation Simulation { get; }

    public FakeElevatorQueue Queue { get; }

    public SimulatedDevice Device { get; }

    public long Now => Simulation.Now;

    public long Inserted { get; private set; }

    public long Dispatched { get; private set; }

    public long CompletedCount { get; private set; }

    public long MergedAway { get; private set; }

    /// <summary>Requests inserted and neither dispatched nor merged away (tracked mode).</summary>
    public int HeldCount => _held?.Count ?? throw new InvalidOperationException("tracking is off");

    /// <summary>Held requests in insertion order (tracked mode), for tests that pick one to merge into.</summary>
    public IReadOnlyList<Request> HeldRequests => _heldInOrder ?? throw new InvalidOperationException("tracking is off");

    public IReadOnlyList<DispatchRecord> Dispatches => _dispatches ?? throw new InvalidOperationException("recording is off");

    /// <summary>When false, the harness does not dispatch on its own: a test calls <see cref="DispatchOne"/>.</summary>
    public bool AutoDispatch { get; set; } = true;

    public ProcessStats StatsFor(int processId)
    {
        if (!_stats.TryGetValue(processId, out ProcessStats? stats))
        {
            stats = new ProcessStats();
            _stats.Add(processId, stats);
        }
        return stats;
    }

    public void Register(IWorkloadProcess process) => _processes.Add(process.ProcessId, process);

    /// <summary>A clean request from the pool.</summary>
    public Request Rent(BioOp op, long sector, int sectorCount, int processId, BioFlags flags = BioFlags.None)
    {
        Request request = _pool.Count > 0 ? _pool.Pop() : new Request();
        request.Op = op;
        request.Flags = flags;
        request.Sector = sector;
        request.SectorCount = sectorCount;
        request.ProcessId = processId;
        request.FirstBio = null;
        request.LastBio = null;
        request.BioCount = 0;
        request.SegmentCount = 1;
        request.Tag = -1;
        request.Retries = 0;
        request.StartTime = Now;
        request.InsertTime = 0;
        request.IssueTime = 0;
        request.ElevatorDeadline = 0;
        request.ElevatorLinks = default;
        request.ElevatorIndex = -1;
        request.ElevatorData = null;
        return request;
    }

    /// <summary>Inserts a request and, unless auto-dispatch is off, lets the device take what the elevator releases.</summary>
    public void Submit(Request request, bool atHead = false)
    {
        Insert(request, atHead);
        if (AutoDispatch)
            Pump();
    }

    /// <summary>Inserts without dispatching (to build a queue before the first dispatch).</summary>
    public void Insert(Request request, bool atHead = false)
    {
        request.InsertTime = Now;
        if (_held is not null)
        {
            if (!_held.Add(request))
                throw new InvalidOperationException($"{request} inserted while already held");
            _heldInOrder!.Add(request);
            _ids![request] = _nextId++;
        }
        Inserted++;
        Elevator.Insert(request, atHead);
    }

    /// <summary>Dispatches while the device has room and the elevator releases requests.</summary>
    public void Pump()
    {
        if (_pumping)
            return;
        _pumping = true;
        try
        {
            while (Device.CanAccept)
            {
                Request? request = Elevator.Dispatch();
                if (request is null)
                    break;
                Issue(request);
            }
            CheckPending();
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>One dispatch attempt without the device's involvement beyond issuing (manual mode).</summary>
    public Request? DispatchOne()
    {
        Request? request = Elevator.Dispatch();
        if (request is not null)
            Issue(request);
        CheckPending();
        return request;
    }

    /// <summary>The queue merged <paramref name="next"/> into <paramref name="request"/> (a back merge of requests).</summary>
    public void MergeRequests(Request request, Request next)
    {
        request.SectorCount += next.SectorCount;
        Elevator.RequestsMerged(request, next);
        if (_held is not null)
        {
            if (!_held.Remove(next))
                throw new InvalidOperationException($"{next} merged away but was not held");
            _heldInOrder!.Remove(next);
        }
        MergedAway++;
        _pool.Push(next);
    }

    /// <summary>Offers a bio for a merge into a held request; applies it if the elevator allows. True when merged.</summary>
    public bool TryMergeBio(Request request, Bio bio, MergeKind kind)
    {
        if (!Elevator.AllowMerge(request, bio, kind))
            return false;
        if (kind == MergeKind.Front)
            request.Sector = bio.Sector;
        request.SectorCount += bio.SectorCount;
        Elevator.Merged(request, kind);
        return true;
    }

    /// <summary>Runs the simulation until nothing is scheduled; checks that nothing is left held.</summary>
    public void RunToIdle()
    {
        Simulation.Run();
        if (_held is not null && _held.Count != 0)
            throw new InvalidOperationException($"{_held.Count} request(s) never dispatched: {string.Join(", ", _held.Take(5))}");
        if (Elevator.HasPending)
            throw new InvalidOperationException("elevator reports pending requests after the run drained");
    }

    public void RunUntil(long time) => Simulation.RunUntil(time);

    /// <summary>Runs events until the device has nothing outstanding (manual mode: completes what was issued).</summary>
    public void RunToIdleOfDevice()
    {
        while (Device.Outstanding > 0 && Simulation.Step())
        {
        }
    }

    /// <summary>The order id a tracked request got at insertion (for order checks in tests).</summary>
    public long IdOf(Request request) => _ids is not null && _ids.TryGetValue(request, out long id) ? id : -1;

    /// <summary>Takes the next request from the elevator without giving it to the device (manual mode).</summary>
    public Request? Take()
    {
        Request? request = Elevator.Dispatch();
        if (request is not null)
            Release(request);
        CheckPending();
        return request;
    }

    /// <summary>A taken request failed before reaching the device: back in at the head, as the queue requeues.</summary>
    public void Requeue(Request request)
    {
        request.Retries++;
        Insert(request, atHead: true);
    }

    /// <summary>Gives a request obtained with <see cref="Take"/> to the device.</summary>
    public void IssueTaken(Request request) => Start(request);

    private void Issue(Request request)
    {
        Release(request);
        Start(request);
    }

    private void Release(Request request)
    {
        if (_held is not null)
        {
            if (!_held.Remove(request))
                throw new InvalidOperationException($"{Elevator.Name} dispatched {request}, which it did not hold (lost or duplicated)");
            _heldInOrder!.Remove(request);
        }
    }

    private void Start(Request request)
    {
        Dispatched++;
        request.IssueTime = Now;
        _dispatches?.Add(new DispatchRecord(Now, request.Op, request.Flags, request.Sector, request.SectorCount,
            request.ProcessId, IdOf(request)));
        Queue.NoteIssued(request);
        Device.Start(request);
    }

    private void CheckPending()
    {
        if (_held is null)
            return;
        bool pending = Elevator.HasPending;
        if (pending != (_held.Count > 0))
            throw new InvalidOperationException($"{Elevator.Name}: HasPending is {pending} with {_held.Count} request(s) held");
    }

    private void OnDeviceCompleted(Request request)
    {
        CompletedCount++;
        Queue.NoteCompleted(request);
        Elevator.Completed(request);
        StatsFor(request.ProcessId).Record(request, Now);
        _ids?.Remove(request);
        if (_processes.TryGetValue(request.ProcessId, out IWorkloadProcess? process))
            process.OnCompleted(request);
        _pool.Push(request);
        PumpIfAuto();
    }

    private void PumpIfAuto()
    {
        if (AutoDispatch)
            Pump();
    }
}
