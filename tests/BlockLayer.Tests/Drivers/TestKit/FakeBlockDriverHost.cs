using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Drivers.TestKit;

/// <summary>
/// The smallest queue a driver test needs: requests go to the driver in submission order with the tag the test gave
/// them (or the lowest free one), a request the driver defers is retried after every completion or requeue, requeued
/// requests go straight back with their tag, and each request at the device has a timeout. It records everything
/// and fails the test on a double completion or a completion of something it never handed over.
/// </summary>
public sealed class FakeBlockDriverHost : IBlockDriverHost
{
    public const long DefaultTimeoutNs = 30 * SimTime.Second;

    private readonly IBlockDriver _driver;
    private readonly long _timeoutNs;
    private readonly Request?[] _atDevice;
    private readonly SimTimer[] _timers;
    private readonly List<Request> _deferred = [];
    private readonly Dictionary<Request, (Errno Status, long Time)> _results = [];
    private bool _retrying;

    public FakeBlockDriverHost(Simulation simulation, IBlockDriver driver, long timeoutNs = DefaultTimeoutNs)
    {
        Simulation = simulation;
        _driver = driver;
        _timeoutNs = timeoutNs;
        int tags = driver.Info.Limits.QueueDepth;
        _atDevice = new Request?[tags];
        _timers = new SimTimer[tags];
        for (int tag = 0; tag < tags; tag++)
        {
            int owner = tag;
            _timers[tag] = new SimTimer(simulation, () => OnTimeout(owner));
        }
        driver.Attach(this);
    }

    public Simulation Simulation { get; }

    /// <summary>Requests in the order they completed, with their status and virtual time.</summary>
    public List<(Request Request, Errno Status, long Time)> Completions { get; } = [];

    public List<Request> Requeues { get; } = [];

    /// <summary>Times the driver answered "not now".</summary>
    public int Deferrals { get; private set; }

    public int Timeouts { get; private set; }

    /// <summary>Most requests at the device at once.</summary>
    public int MaxInFlight { get; private set; }

    public int InFlight { get; private set; }

    public bool IsDone(Request request) => _results.ContainsKey(request);

    public Errno StatusOf(Request request) =>
        _results.TryGetValue(request, out var result) ? result.Status : throw new InvalidOperationException($"{request} has not completed");

    public long CompletionTimeOf(Request request) => _results[request].Time;

    /// <summary>Hands <paramref name="request"/> to the driver now, or after earlier deferred ones.</summary>
    public void Submit(Request request)
    {
        _deferred.Add(request);
        RetryDeferred();
    }

    public void CompleteRequest(Request request, Errno status)
    {
        Release(request);
        if (!_results.TryAdd(request, (status, Simulation.Now)))
            throw new InvalidOperationException($"{request} completed twice");
        Completions.Add((request, status, Simulation.Now));
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
            bio.Complete(status);
        RetryDeferred();
    }

    public void RequeueRequest(Request request)
    {
        int tag = request.Tag;
        Release(request);
        Requeues.Add(request);
        request.Tag = tag;
        _deferred.Insert(0, request);
        RetryDeferred();
    }

    private void Release(Request request)
    {
        int tag = request.Tag;
        if ((uint)tag >= (uint)_atDevice.Length || !ReferenceEquals(_atDevice[tag], request))
            throw new InvalidOperationException($"the driver finished {request}, which is not at the device");
        _atDevice[tag] = null;
        _timers[tag].Cancel();
        InFlight--;
    }

    private void RetryDeferred()
    {
        if (_retrying)
            return;
        _retrying = true;
        while (_deferred.Count > 0)
        {
            Request request = _deferred[0];
            bool chosen = request.Tag < 0;
            if (chosen)
            {
                request.Tag = Array.IndexOf(_atDevice, null);
                if (request.Tag < 0)
                    break;
            }
            else if (_atDevice[request.Tag] is not null)
            {
                break;
            }
            _atDevice[request.Tag] = request;
            InFlight++;
            if (!_driver.TryQueueRequest(request))
            {
                Deferrals++;
                _atDevice[request.Tag] = null;
                InFlight--;
                if (chosen)
                    request.Tag = -1;
                break;
            }
            _deferred.RemoveAt(0);
            MaxInFlight = Math.Max(MaxInFlight, InFlight);
            _timers[request.Tag].Arm(_timeoutNs);
        }
        _retrying = false;
    }

    private void OnTimeout(int tag)
    {
        if (_atDevice[tag] is { } request)
        {
            Timeouts++;
            _driver.TimeoutRequest(request);
        }
    }
}
