using System.Globalization;
using System.Text;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// fio's normal output, in its layout: per job a header line, a read and/or write line with IOPS, bandwidth (binary
/// and decimal units), amount and runtime, the slat/clat/lat lines in a unit fitting their size and the clat
/// percentiles; then one "Run status group" summary per group, and a closing hwstack line with what the run cost.
/// </summary>
public static class FioTextWriter
{
    public static string Write(WorkloadResult result)
    {
        var text = new StringBuilder();
        foreach (JobResult job in result.Jobs)
            WriteJob(text, job);
        foreach (IGrouping<int, JobResult> group in result.Jobs.GroupBy(j => j.GroupId))
        {
            text.AppendLine();
            text.AppendLine(Inv($"Run status group {group.Key} (all jobs):"));
            WriteGroup(text, "READ", group.Select(j => j.Read).ToList());
            WriteGroup(text, "WRITE", group.Select(j => j.Write).ToList());
        }
        long ios = result.Jobs.Sum(j => j.Read.TotalIos + j.Write.TotalIos);
        text.AppendLine();
        text.AppendLine(Inv($"hwstack: {result.Device}, scheduler {result.Scheduler}: {result.VirtualSeconds:F3} s of virtual time in {result.WallSeconds:F2} s of wall time, {result.Events:N0} events, {ios / Math.Max(result.WallSeconds, 1e-9):N0} I/Os per wall second"));
        return text.ToString();
    }

    private static void WriteJob(StringBuilder text, JobResult job)
    {
        JobSpec spec = job.Spec;
        string bs = string.Join(", ", FioJsonWriter.JobOptions(spec).Where(o => o.Name is "rw" or "bs" or "bssplit" or "ioengine" or "iodepth").Select(o => $"{o.Name}={o.Value}"));
        text.AppendLine(Inv($"{job.Name}: (groupid={job.GroupId}, jobs={spec.NumJobs}): err={job.FirstErrno,2}: {bs}"));
        if (job.FirstError is not null)
            text.AppendLine($"  error: {job.FirstError}");
        WriteDirection(text, "read", job.Read);
        WriteDirection(text, "write", job.Write);
        if (job.Sync is { Count: > 0 } sync)
            WriteLatency(text, "  sync", sync);
    }

    private static void WriteDirection(StringBuilder text, string name, DirectionStats stats)
    {
        if (stats.TotalIos == 0)
            return;
        text.AppendLine(Inv($"  {name}: IOPS={Count(stats.Iops)}, BW={Binary(stats.BandwidthBytes)}/s ({Decimal(stats.BandwidthBytes)}/s)({Binary(stats.IoBytes)}/{stats.RuntimeMs}msec)"));
        if (stats.Slat.Count > 0)
            WriteLatency(text, "    slat", stats.Slat);
        WriteLatency(text, "    clat", stats.Clat);
        WriteLatency(text, "     lat", stats.Lat);
        (string unit, double scale) = Unit(stats.Clat.Max);
        text.AppendLine(Inv($"    clat percentiles ({unit}):"));
        IReadOnlyList<double> percentiles = LatencyLog.FioPercentiles;
        for (int i = 0; i < percentiles.Count; i += 4)
        {
            var line = new StringBuilder("     |");
            for (int j = i; j < Math.Min(i + 4, percentiles.Count); j++)
            {
                long value = stats.Clat.Percentiles.GetValueOrDefault(LatencyLog.Key(percentiles[j]));
                line.Append(Inv($" {percentiles[j],5:F2}th=[{value / scale,5:F0}]"));
                if (j < percentiles.Count - 1)
                    line.Append(',');
            }
            text.AppendLine(line.ToString());
        }
    }

    private static void WriteLatency(StringBuilder text, string label, LatencyStats stats)
    {
        (string unit, double scale) = Unit(stats.Max);
        text.AppendLine(Inv($"{label} ({unit}): min={stats.Min / scale:F0}, max={stats.Max / scale:F0}, avg={stats.Mean / scale:F2}, stdev={stats.StdDev / scale:F2}"));
    }

    private static void WriteGroup(StringBuilder text, string name, IReadOnlyList<DirectionStats> jobs)
    {
        var active = jobs.Where(d => d.TotalIos > 0).ToList();
        if (active.Count == 0)
            return;
        long bytes = active.Sum(d => d.IoBytes);
        long minRun = active.Min(d => d.RuntimeMs);
        long maxRun = active.Max(d => d.RuntimeMs);
        long bandwidth = maxRun > 0 ? bytes * 1000 / maxRun : 0;
        text.AppendLine(Inv($"  {name,5}: bw={Binary(bandwidth)}/s ({Decimal(bandwidth)}/s), io={Binary(bytes)} ({Decimal(bytes)}), run={minRun}-{maxRun}msec"));
    }

    /// <summary>fio's latency unit: nsec below 10 us, usec below 10 ms, msec above.</summary>
    private static (string Unit, double Scale) Unit(long maxNs) => maxNs switch
    {
        < 10_000 => ("nsec", 1),
        < 10_000_000 => ("usec", 1e3),
        _ => ("msec", 1e6),
    };

    private static string Count(double value) => value switch
    {
        >= 1_000_000 => Inv($"{value / 1000:F0}k"),
        >= 10_000 => Inv($"{value / 1000:F1}k"),
        _ => Inv($"{value:F0}"),
    };

    private static string Binary(long bytes) => Scaled(bytes, 1024, ["B", "KiB", "MiB", "GiB", "TiB"]);

    private static string Decimal(long bytes) => Scaled(bytes, 1000, ["B", "kB", "MB", "GB", "TB"]);

    /// <summary>fio's num2str: at most four significant digits before the unit.</summary>
    private static string Scaled(long value, int unit, string[] names)
    {
        double scaled = value;
        int index = 0;
        while (scaled >= 10_000 && index < names.Length - 1)
        {
            scaled /= unit;
            index++;
        }
        return scaled >= 100 || index == 0 ? Inv($"{scaled:F0}{names[index]}") : Inv($"{scaled:F1}{names[index]}");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
