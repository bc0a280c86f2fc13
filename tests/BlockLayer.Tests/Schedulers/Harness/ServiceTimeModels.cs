using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>How long the simulated device takes for one request, given where its head is.</summary>
public interface IServiceTimeModel
{
    long ServiceTime(Request request, long headPosition);
}

/// <summary>A flash-like device: a fixed cost per operation plus a transfer cost per sector; position does not matter.</summary>
public sealed class FixedLatencyModel(long readLatency, long writeLatency, long perSector = 0) : IServiceTimeModel
{
    public long ServiceTime(Request request, long headPosition) =>
        (request.Op == BioOp.Read ? readLatency : writeLatency) + request.SectorCount * perSector;
}

/// <summary>
/// A disk-like device: a seek growing with the square root of the distance (track-to-track up to full stroke),
/// half a revolution of rotational latency whenever the head moves, and a transfer time per sector. A request
/// that starts where the last one ended pays only the transfer.
/// </summary>
public sealed class RotationalModel(long capacitySectors) : IServiceTimeModel
{
    public long TrackToTrack { get; init; } = 500 * SimTime.Microsecond;

    public long FullStroke { get; init; } = 16 * SimTime.Millisecond;

    public long Revolution { get; init; } = 8_333 * SimTime.Microsecond;

    /// <summary>About 150 MB/s.</summary>
    public long PerSector { get; init; } = 3_413;

    public long Overhead { get; init; } = 20 * SimTime.Microsecond;

    public long ServiceTime(Request request, long headPosition)
    {
        long transfer = Overhead + request.SectorCount * PerSector;
        long distance = Math.Abs(request.Sector - headPosition);
        if (distance == 0 || request.Op == BioOp.Flush)
            return transfer;
        double fraction = Math.Sqrt((double)distance / capacitySectors);
        long seek = TrackToTrack + (long)((FullStroke - TrackToTrack) * fraction);
        return seek + Revolution / 2 + transfer;
    }
}
