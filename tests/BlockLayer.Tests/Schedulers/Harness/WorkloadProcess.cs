using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>Something that issues requests and hears about their completion.</summary>
public interface IWorkloadProcess
{
    int ProcessId { get; }

    void OnCompleted(Request request);
}

public enum AccessPattern
{
    Sequential,
    Random,
}

/// <summary>What a <see cref="WorkloadProcess"/> does: like a small fio job.</summary>
public sealed record WorkloadSpec
{
    public BioOp Op { get; init; } = BioOp.Read;

    public BioFlags Flags { get; init; }

    public AccessPattern Pattern { get; init; } = AccessPattern.Sequential;

    public long RegionStart { get; init; }

    public long RegionSectors { get; init; } = 1L << 24;

    public int RequestSectors { get; init; } = 256;

    /// <summary>Requests kept outstanding.</summary>
    public int IoDepth { get; init; } = 1;

    /// <summary>Pause between a completion and the next request.</summary>
    public long ThinkTime { get; init; }

    public long StartAt { get; init; }

    /// <summary>No new requests from this time on (long.MaxValue: never stop on time).</summary>
    public long StopAt { get; init; } = long.MaxValue;

    /// <summary>No new requests after this many (long.MaxValue: no limit).</summary>
    public long MaxRequests { get; init; } = long.MaxValue;
}

/// <summary>
/// A simulated process issuing requests per its <see cref="WorkloadSpec"/>, with a seeded random stream for
/// random offsets. Implemented as an event handler rather than an async method so it allocates nothing.
/// </summary>
public sealed class WorkloadProcess : IWorkloadProcess, ISimEventHandler
{
    private readonly ElevatorHarness _harness;
    private readonly SimRandom _random;
    private long _nextSector;
    private int _outstanding;

    public WorkloadProcess(ElevatorHarness harness, int processId, WorkloadSpec spec)
    {
        _harness = harness;
        ProcessId = processId;
        Spec = spec;
        _random = harness.Simulation.CreateRandom($"workload-{processId}");
        _nextSector = spec.RegionStart;
        harness.Register(this);
        harness.Simulation.ScheduleAt(Math.Max(spec.StartAt, harness.Now), this);
    }

    public int ProcessId { get; }

    public WorkloadSpec Spec { get; }

    public long Issued { get; private set; }

    public void OnCompleted(Request request)
    {
        _outstanding--;
        if (Spec.ThinkTime == 0)
            IssueUpToDepth();
        else
            _harness.Simulation.Schedule(Spec.ThinkTime, this);
    }

    void ISimEventHandler.OnEvent(long argument) => IssueUpToDepth();

    private void IssueUpToDepth()
    {
        while (_outstanding < Spec.IoDepth && Issued < Spec.MaxRequests && _harness.Now < Spec.StopAt)
        {
            long sector;
            if (Spec.Pattern == AccessPattern.Sequential)
            {
                sector = _nextSector;
                _nextSector += Spec.RequestSectors;
                if (_nextSector + Spec.RequestSectors > Spec.RegionStart + Spec.RegionSectors)
                    _nextSector = Spec.RegionStart;
            }
            else
            {
                long slots = Spec.RegionSectors / Spec.RequestSectors;
                sector = Spec.RegionStart + _random.NextInt64(slots) * Spec.RequestSectors;
            }
            Issued++;
            _outstanding++;
            _harness.Submit(_harness.Rent(Spec.Op, sector, Spec.RequestSectors, ProcessId, Spec.Flags));
        }
    }
}
