using Hardware.BlockLayer.Schedulers;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>
/// The queue side of <see cref="IElevatorQueue"/> for elevator tests: the clock of a <see cref="Simulation"/>,
/// in-flight counts the harness keeps, and <see cref="RunAt"/> as a simulation event that calls back into the
/// harness's dispatch loop. Nothing here allocates per request.
/// </summary>
public sealed class FakeElevatorQueue(Simulation simulation, long capacitySectors, bool rotational, int queueDepth)
    : IElevatorQueue, ISimEventHandler
{
    public Simulation Simulation { get; } = simulation;

    public long Now => Simulation.Now;

    public long CapacitySectors { get; set; } = capacitySectors;

    public bool Rotational { get; set; } = rotational;

    public int InFlight { get; private set; }

    public int InFlightReads { get; private set; }

    public int InFlightWrites { get; private set; }

    public int QueueDepth { get; set; } = queueDepth;

    public long HeadPosition { get; set; }

    /// <summary>
    /// Textbook mode: requests are points (cylinders), so the head rests on the start of the last request rather
    /// than just past its end.
    /// </summary>
    public bool HeadOnRequestStart { get; set; }

    /// <summary>Called when a requested run comes due (the harness's dispatch loop).</summary>
    public Action? RunDue { get; set; }

    public long RunRequests { get; private set; }

    /// <summary>The latest time any run was asked for.</summary>
    public long LastRunRequested { get; private set; } = -1;

    public void RunAt(long time)
    {
        RunRequests++;
        LastRunRequested = time;
        Simulation.ScheduleAt(Math.Max(time, Simulation.Now), this);
    }

    void ISimEventHandler.OnEvent(long argument) => RunDue?.Invoke();

    public void NoteIssued(Request request)
    {
        InFlight++;
        if (request.Op == BioOp.Read)
            InFlightReads++;
        else if (request.Op is BioOp.Write or BioOp.Discard)
            InFlightWrites++;
        if (request.SectorCount > 0 && request.Op != BioOp.Flush)
            HeadPosition = HeadOnRequestStart ? request.Sector : request.EndSector;
    }

    public void NoteCompleted(Request request)
    {
        InFlight--;
        if (request.Op == BioOp.Read)
            InFlightReads--;
        else if (request.Op is BioOp.Write or BioOp.Discard)
            InFlightWrites--;
    }
}
