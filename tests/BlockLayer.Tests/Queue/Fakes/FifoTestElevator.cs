using Hardware.BlockLayer.Schedulers;

namespace Hardware.BlockLayer.Tests.Queue.Fakes;

/// <summary>
/// A first-in first-out elevator for the queue's tests: a <see cref="RequestList"/> through the requests' elevator links,
/// optional merge veto and hold-back, and checks that the queue keeps the elevator contract (each request inserted
/// once, dispatched once, completed once, merged only while held).
/// </summary>
public sealed class FifoTestElevator : IElevator
{
    private readonly HashSet<Request> _held = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Request> _released = new(ReferenceEqualityComparer.Instance);
    private readonly RequestList _fifo = new();
    private IElevatorQueue? _queue;

    public string Name { get; init; } = "test-fifo";

    /// <summary>Refuse every merge the queue asks about.</summary>
    public bool VetoMerges { get; set; }

    /// <summary>Release nothing (a scheduler idling on purpose).</summary>
    public bool Hold { get; set; }

    public IElevatorQueue Queue => _queue ?? throw new InvalidOperationException("not attached");

    public int Inserted { get; private set; }
    public int Dispatched { get; private set; }
    public int CompletedCount { get; private set; }
    public int BioMerges { get; private set; }
    public int RequestMerges { get; private set; }
    public int HeldCount => _held.Count;
    public int Outstanding => _released.Count;

    public void Attach(IElevatorQueue queue)
    {
        if (_queue is not null)
            throw new InvalidOperationException("attached twice");
        _queue = queue;
    }

    public void Insert(Request request, bool atHead)
    {
        if (!_held.Add(request))
            throw new InvalidOperationException($"{request} inserted twice");
        if (request.ElevatorLinks.IsLinked || request.ElevatorIndex != -1 || request.ElevatorData is not null)
            throw new InvalidOperationException($"{request} inserted with stale elevator fields");
        Inserted++;
        if (atHead)
            _fifo.AddFirst(request);
        else
            _fifo.AddLast(request);
        request.ElevatorIndex = 0;
    }

    public Request? Dispatch()
    {
        if (Hold || _fifo.First is not { } request)
            return null;
        Unlink(request);
        if (!_released.Add(request))
            throw new InvalidOperationException($"{request} dispatched twice");
        Dispatched++;
        return request;
    }

    public bool HasPending => !_fifo.IsEmpty;

    public void Completed(Request request)
    {
        if (!_released.Remove(request))
            throw new InvalidOperationException($"{request} completed but was not dispatched by {Name}");
        CompletedCount++;
    }

    public bool AllowMerge(Request request, Bio bio, MergeKind kind)
    {
        if (!_held.Contains(request))
            throw new InvalidOperationException($"merge asked for {request}, which is not held");
        return !VetoMerges;
    }

    public void Merged(Request request, MergeKind kind)
    {
        if (!_held.Contains(request))
            throw new InvalidOperationException($"merge reported for {request}, which is not held");
        BioMerges++;
    }

    public void RequestsMerged(Request request, Request next)
    {
        if (!_held.Contains(request) || !_held.Contains(next))
            throw new InvalidOperationException($"request merge of {next} into {request}, not both held");
        Unlink(next);
        RequestMerges++;
    }

    public IReadOnlyList<ElevatorTunable> Tunables => [];

    public bool TrySetTunable(string name, string value, out string error)
    {
        error = $"{Name}: no tunable named {name}";
        return false;
    }

    public IReadOnlyList<KeyValuePair<string, long>> Statistics =>
        [new("inserted", Inserted), new("dispatched", Dispatched), new("completed", CompletedCount)];

    private void Unlink(Request request)
    {
        if (!_held.Remove(request))
            throw new InvalidOperationException($"{request} is not held");
        _fifo.Remove(request);
        request.ElevatorIndex = -1;
    }
}
