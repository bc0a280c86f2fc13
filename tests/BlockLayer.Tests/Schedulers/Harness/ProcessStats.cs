namespace Hardware.BlockLayer.Tests.Schedulers.Harness;

/// <summary>What one simulated process got: completions, sectors and latency (from allocation to completion).</summary>
public sealed class ProcessStats
{
    public long Completed { get; private set; }

    public long Sectors { get; private set; }

    public long LatencySum { get; private set; }

    public long MaxLatency { get; private set; }

    /// <summary>Completions from <see cref="MeasureFrom"/> on, for steady-state figures.</summary>
    public long MeasuredCompleted { get; private set; }

    public long MeasuredSectors { get; private set; }

    public long MeasuredLatencySum { get; private set; }

    public long MeasureFrom { get; set; }

    public double MeanLatency => Completed == 0 ? 0 : (double)LatencySum / Completed;

    public double MeasuredMeanLatency => MeasuredCompleted == 0 ? 0 : (double)MeasuredLatencySum / MeasuredCompleted;

    public void Record(Request request, long now)
    {
        long latency = now - request.StartTime;
        Completed++;
        Sectors += request.SectorCount;
        LatencySum += latency;
        MaxLatency = Math.Max(MaxLatency, latency);
        if (request.StartTime >= MeasureFrom)
        {
            MeasuredCompleted++;
            MeasuredSectors += request.SectorCount;
            MeasuredLatencySum += latency;
        }
    }
}
