using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Stats;

/// <summary>
/// The extended statistics `iostat -x` prints for one device over an interval, computed from two
/// <see cref="DiskStatsSnapshot"/>s with sysstat's formulas (rates per second, sizes in KiB, waits in ms).
/// Computed from nanosecond counters, so short virtual intervals keep their precision.
/// </summary>
public readonly record struct IoStat(
    double IntervalSeconds,
    double ReadsPerSecond, double ReadKiBPerSecond, double ReadMergesPerSecond, double ReadMergePercent, double ReadAwaitMs, double ReadRequestKiB,
    double WritesPerSecond, double WriteKiBPerSecond, double WriteMergesPerSecond, double WriteMergePercent, double WriteAwaitMs, double WriteRequestKiB,
    double DiscardsPerSecond, double DiscardKiBPerSecond, double DiscardAwaitMs,
    double FlushesPerSecond, double FlushAwaitMs,
    double AverageQueueSize, double UtilizationPercent)
{
    /// <summary>The statistics between <paramref name="before"/> and <paramref name="after"/> (taken later).</summary>
    public static IoStat Between(in DiskStatsSnapshot before, in DiskStatsSnapshot after)
    {
        long intervalNs = after.Time - before.Time;
        if (intervalNs <= 0)
            throw new ArgumentException($"the second sample ({after.Time} ns) must be later than the first ({before.Time} ns)", nameof(after));
        double seconds = intervalNs / (double)SimTime.Second;

        long reads = after.ReadIos - before.ReadIos;
        long readMerges = after.ReadMerges - before.ReadMerges;
        long readSectors = after.ReadSectors - before.ReadSectors;
        long writes = after.WriteIos - before.WriteIos;
        long writeMerges = after.WriteMerges - before.WriteMerges;
        long writeSectors = after.WriteSectors - before.WriteSectors;
        long discards = after.DiscardIos - before.DiscardIos;
        long discardSectors = after.DiscardSectors - before.DiscardSectors;
        long flushes = after.FlushIos - before.FlushIos;

        return new IoStat(
            seconds,
            reads / seconds, Kib(readSectors) / seconds, readMerges / seconds, Percent(readMerges, readMerges + reads),
            AwaitMs(after.ReadTicksNs - before.ReadTicksNs, reads), Per(Kib(readSectors), reads),
            writes / seconds, Kib(writeSectors) / seconds, writeMerges / seconds, Percent(writeMerges, writeMerges + writes),
            AwaitMs(after.WriteTicksNs - before.WriteTicksNs, writes), Per(Kib(writeSectors), writes),
            discards / seconds, Kib(discardSectors) / seconds, AwaitMs(after.DiscardTicksNs - before.DiscardTicksNs, discards),
            flushes / seconds, AwaitMs(after.FlushTicksNs - before.FlushTicksNs, flushes),
            (after.TimeInQueueNs - before.TimeInQueueNs) / (double)intervalNs,
            Math.Min(100.0, 100.0 * (after.IoTicksNs - before.IoTicksNs) / intervalNs));
    }

    private static double Kib(long sectors) => sectors / 2.0;

    private static double Per(double value, long count) => count == 0 ? 0 : value / count;

    private static double AwaitMs(long ticksNs, long ios) => ios == 0 ? 0 : ticksNs / (double)SimTime.Millisecond / ios;

    private static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;
}
