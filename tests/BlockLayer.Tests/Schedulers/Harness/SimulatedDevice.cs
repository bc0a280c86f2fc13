using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>
/// A device with a queue depth and one or more service channels: it accepts up to <see cref="QueueDepth"/>
/// requests, serves them in arrival order on its channels with times from a <see cref="IServiceTimeModel"/>, and
/// reports each completion. It measures the head travel a real arm would make (to each request in turn).
/// </summary>
public sealed class SimulatedDevice : ISimEventHandler
{
    private readonly Simulation _simulation;
    private readonly IServiceTimeModel _model;
    private readonly Request?[] _waiting;
    private readonly Request?[] _serving;
    private int _waitingHead;
    private int _waitingCount;
    private int _busyChannels;

    public SimulatedDevice(Simulation simulation, IServiceTimeModel model, int queueDepth, int channels, long initialHead)
    {
        _simulation = simulation;
        _model = model;
        QueueDepth = queueDepth;
        _waiting = new Request?[queueDepth];
        _serving = new Request?[channels];
        Head = initialHead;
    }

    public int QueueDepth { get; }

    public int Outstanding { get; private set; }

    public bool CanAccept => Outstanding < QueueDepth;

    /// <summary>Where the head is: the end of the last request started (its start in textbook mode).</summary>
    public long Head { get; private set; }

    public bool HeadOnRequestStart { get; set; }

    /// <summary>Sectors (cylinders) the head moved, summed over requests.</summary>
    public long HeadTravel { get; private set; }

    public long BusyTime { get; private set; }

    public Action<Request>? Completed { get; set; }

    public void Start(Request request)
    {
        if (!CanAccept)
            throw new InvalidOperationException($"device full ({QueueDepth} outstanding) when {request} was issued");
        Outstanding++;
        if (_busyChannels < _serving.Length)
        {
            Begin(request);
            return;
        }
        _waiting[(_waitingHead + _waitingCount) % _waiting.Length] = request;
        _waitingCount++;
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        int channel = (int)argument;
        Request request = _serving[channel]!;
        _serving[channel] = null;
        _busyChannels--;
        Outstanding--;
        if (_waitingCount > 0)
        {
            Request next = _waiting[_waitingHead]!;
            _waiting[_waitingHead] = null;
            _waitingHead = (_waitingHead + 1) % _waiting.Length;
            _waitingCount--;
            Begin(next);
        }
        Completed?.Invoke(request);
    }

    private void Begin(Request request)
    {
        int channel = Array.IndexOf(_serving, null);
        _serving[channel] = request;
        _busyChannels++;
        long time = _model.ServiceTime(request, Head);
        if (request.Op != BioOp.Flush && request.SectorCount > 0)
        {
            HeadTravel += Math.Abs(request.Sector - Head);
            Head = HeadOnRequestStart ? request.Sector : request.EndSector;
        }
        BusyTime += time;
        _simulation.Schedule(time, this, channel);
    }
}
