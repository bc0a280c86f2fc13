using System.Globalization;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Stats;

/// <summary>
/// The counters of <see cref="DiskStats"/> at one virtual time, in /proc/diskstats order; times in nanoseconds,
/// with millisecond views as the kernel prints them.
/// </summary>
public readonly record struct DiskStatsSnapshot(
    long Time,
    long ReadIos, long ReadMerges, long ReadSectors, long ReadTicksNs,
    long WriteIos, long WriteMerges, long WriteSectors, long WriteTicksNs,
    int InFlight, long IoTicksNs, long TimeInQueueNs,
    long DiscardIos, long DiscardMerges, long DiscardSectors, long DiscardTicksNs,
    long FlushIos, long FlushTicksNs)
{
    /// <summary>The line as Linux prints it ("%4d %7d %s" then 17 numbers, times in ms).</summary>
    public string ToDiskstatsLine(uint major, uint minor, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Create(c,
            $"{major,4} {minor,7} {name} {ReadIos} {ReadMerges} {ReadSectors} {Ms(ReadTicksNs)} " +
            $"{WriteIos} {WriteMerges} {WriteSectors} {Ms(WriteTicksNs)} {InFlight} {Ms(IoTicksNs)} {Ms(TimeInQueueNs)} " +
            $"{DiscardIos} {DiscardMerges} {DiscardSectors} {Ms(DiscardTicksNs)} {FlushIos} {Ms(FlushTicksNs)}");
    }

    private static long Ms(long ns) => ns / SimTime.Millisecond;
}
