using System.Globalization;
using System.Text;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// The per-CPU counters blkparse prints after the event lines (struct io_stats in blkparse.c), counted the same
/// way: sizes are each event's bytes >> 10, a requeue takes its size back off the dispatched total (which can wrap
/// below zero, as in blkparse), depth is the most requests of one direction issued and not yet completed.
/// </summary>
public readonly record struct BlkparseSummary(
    ulong ReadsQueued, ulong ReadKiBQueued, ulong WritesQueued, ulong WriteKiBQueued,
    ulong ReadDispatches, ulong ReadKiBDispatched, ulong WriteDispatches, ulong WriteKiBDispatched,
    ulong ReadsRequeued, ulong WritesRequeued,
    ulong ReadsCompleted, ulong ReadKiBCompleted, ulong WritesCompleted, ulong WriteKiBCompleted,
    ulong ReadMerges, ulong ReadKiBMerged, ulong WriteMerges, ulong WriteKiBMerged,
    uint ReadDepth, uint WriteDepth,
    ulong IoUnplugs, ulong TimerUnplugs,
    ulong Events,
    ulong FirstEventTime, ulong LastEventTime)
{
    /// <summary>blkparse's "Throughput (R/W)" figures: completed KiB per second over the traced span.</summary>
    public (ulong Read, ulong Write) ThroughputKiBPerSecond
    {
        get
        {
            ulong milliseconds = (LastEventTime - FirstEventTime) / 1_000_000;
            return milliseconds == 0 ? (0, 0) : (1000 * ReadKiBCompleted / milliseconds, 1000 * WriteKiBCompleted / milliseconds);
        }
    }

    /// <summary>
    /// The summary exactly as blkparse prints it for one device traced on one CPU (in the C locale: no thousands
    /// separators). <paramref name="deviceLabel"/> is what blkparse shows in parentheses: the trace name given to
    /// <c>-i</c>, or "major,minor".
    /// </summary>
    public string Format(string deviceLabel, int cpu)
    {
        var text = new StringBuilder();
        if (Events > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"CPU{cpu} ({deviceLabel}):\n");
            text.Append(CultureInfo.InvariantCulture, $" Reads Queued:    {Count(ReadsQueued)}, {KiB(ReadKiBQueued)}iB\t Writes Queued:    {Count(WritesQueued)}, {KiB(WriteKiBQueued)}iB\n");
            text.Append(CultureInfo.InvariantCulture, $" Read Dispatches: {Count(ReadDispatches)}, {KiB(ReadKiBDispatched)}iB\t Write Dispatches: {Count(WriteDispatches)}, {KiB(WriteKiBDispatched)}iB\n");
            text.Append(CultureInfo.InvariantCulture, $" Reads Requeued:  {Count(ReadsRequeued)}\t\t Writes Requeued:  {Count(WritesRequeued)}\n");
            text.Append(CultureInfo.InvariantCulture, $" Reads Completed: {Count(ReadsCompleted)}, {KiB(ReadKiBCompleted)}iB\t Writes Completed: {Count(WritesCompleted)}, {KiB(WriteKiBCompleted)}iB\n");
            text.Append(CultureInfo.InvariantCulture, $" Read Merges:     {Count(ReadMerges)}, {KiB(ReadKiBMerged)}iB\t Write Merges:     {Count(WriteMerges)}, {KiB(WriteKiBMerged)}iB\n");
            text.Append(CultureInfo.InvariantCulture, $" Read depth:      {ReadDepth,8}        \t Write depth:      {WriteDepth,8}\n");
            text.Append(CultureInfo.InvariantCulture, $" IO unplugs:      {IoUnplugs,8}        \t Timer unplugs:    {TimerUnplugs,8}\n");
        }

        (ulong read, ulong write) = ThroughputKiBPerSecond;
        text.Append(CultureInfo.InvariantCulture, $"\nThroughput (R/W): {read}KiB/s / {write}KiB/s\n");
        text.Append(CultureInfo.InvariantCulture, $"Events ({deviceLabel}): {Events} entries\n");
        // Our traces are numbered without gaps, so blkparse never finds skipped sequence numbers in them.
        text.Append("Skips: 0 forward (0 -   0.0%)\n");
        return text.ToString();
    }

    private static string Count(ulong value) => Scaled(value, 0);

    private static string KiB(ulong value) => Scaled(value, 1);

    /// <summary>blkparse's size_cnv: above a million, divide by 1000 and step the suffix (K, M, G, then P).</summary>
    private static string Scaled(ulong value, int suffix)
    {
        ReadOnlySpan<char> suffixes = ['\0', 'K', 'M', 'G', 'P'];
        while (value > 1_000_000 && suffix < suffixes.Length - 1)
        {
            suffix++;
            value /= 1000;
        }

        string number = value.ToString(CultureInfo.InvariantCulture).PadLeft(8);
        return suffix == 0 ? number : number + suffixes[suffix];
    }
}
