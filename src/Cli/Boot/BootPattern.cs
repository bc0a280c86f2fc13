namespace Hardware.Cli.Boot;

/// <summary>One step of the boot check's I/O pattern and what it measured, in virtual time.</summary>
public sealed record BootPatternResult(string Name, int QueueDepth, long Ios, long Bytes, long ElapsedNs, double MeanLatencyNs, long MaxLatencyNs, int Errors)
{
    public double Iops => Ios / (ElapsedNs / 1e9);

    public double MegabytesPerSecond => Bytes / 1e6 / (ElapsedNs / 1e9);
}
