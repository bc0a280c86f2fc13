using System.Globalization;
using Spectre.Console;
using Hardware.Cli.Commands;

namespace Hardware.Cli.Study;

/// <summary>The study's terminal output: per job and elevator the rates and latencies, then per run the disk-level figures.</summary>
public static class ComparisonTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<RunMetrics> runs)
    {
        var jobs = new Table().Title("Jobs (virtual time; latency in ms)")
            .AddColumn("elevator").AddColumn("job");
        foreach (string column in new[] { "IOPS", "MB/s", "mean", "p50", "p99", "p99.9", "max" })
            jobs.AddColumn(new TableColumn(column).RightAligned());
        foreach (RunMetrics run in runs)
        {
            for (int i = 0; i < run.Jobs.Count; i++)
            {
                JobMetrics job = run.Jobs[i];
                jobs.AddRow(Markup.Escape(i == 0 ? run.Scheduler : ""), Markup.Escape(job.Name), F(job.Iops, 1), F(job.MBps, 2),
                    F(job.Latency.MeanNs / 1e6, 2), Ms(job.Latency.P50Ns), Ms(job.Latency.P99Ns), Ms(job.Latency.P999Ns), Ms(job.Latency.MaxNs));
            }
        }
        console.WriteTable(jobs);

        var table = new Table().Title("Runs").AddColumn("elevator");
        foreach (string column in new[] { "seek (sectors)", "seek (disks)", "merges", "Jain (IOPS)", "read max ms", "virtual s", "wall s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (RunMetrics run in runs)
        {
            table.AddRow(Markup.Escape(run.Scheduler), run.Trace.SeekSectors.ToString("N0", CultureInfo.InvariantCulture), F(run.SeekDiskShare, 2),
                run.Trace.Merges.ToString("N0", CultureInfo.InvariantCulture), F(run.JainIndex, 3), Ms(run.ReadLatency.MaxNs),
                F(run.VirtualSeconds, 2), F(run.WallSeconds, 2));
        }
        console.WriteTable(table);
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Ms(long ns) => F(ns / 1e6, 2);
}
