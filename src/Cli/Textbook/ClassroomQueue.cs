using Hardware.BlockLayer;
using Hardware.BlockLayer.Schedulers;

namespace Hardware.Cli.Textbook;

/// <summary>
/// The queue side of an elevator on the classroom disk: one sector per cylinder, one request at the device at a
/// time, no clock. The block layer reports the head just past the last request it issued; a textbook request is a
/// point (one cylinder), so here the head rests on the cylinder it served - the same arm the literature draws.
/// </summary>
internal sealed class ClassroomQueue(int cylinders, int head) : IElevatorQueue
{
    public long Now => 0;

    public long CapacitySectors { get; } = cylinders;

    public bool Rotational => true;

    public int InFlight { get; private set; }

    public int InFlightReads => InFlight;

    public int InFlightWrites => 0;

    public int QueueDepth => 1;

    public long HeadPosition { get; private set; } = head;

    /// <summary>No classic elevator holds back on purpose; one that asks for a later run cannot be driven here.</summary>
    public void RunAt(long time) =>
        throw new InvalidOperationException("the classroom disk has no clock: an elevator that idles cannot be driven here");

    public void Issued(Request request)
    {
        InFlight++;
        HeadPosition = request.Sector;
    }

    public void Completed() => InFlight--;
}
