using System.Globalization;
using System.Net;
using System.Text;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no scripts, no external files) with the setup, the
/// comparison tables and the charts. Deterministic for a given study apart from the wall times it quotes.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1300px; color: #222; padding: 0 1em; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
        th { background: #f3f3f3; } td.name, th.name { text-align: left; }
        tr.first td { border-top: 2px solid #bbb; }
        code { background: #f5f5f5; padding: 0 0.2em; }
        .charts { display: flex; flex-wrap: wrap; gap: 0.5em; }
        .note { color: #555; font-size: 0.9em; max-width: 60em; }
        """;

    public static string Write(StudyResult study)
    {
        StudySetup setup = study.Setup;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>hwstack scheduler study</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>hwstack scheduler study</h1>\n");
        html.Append($"<p>{study.Runs.Count} runs of the same workload on the same machine and seed, one per elevator; everything below is in virtual time " +
                    $"except the wall times (the whole study took {F(study.WallSeconds, 2)} s of wall time).</p>\n");
        AppendSetup(html, setup);
        AppendRunTable(html, study.Runs);
        AppendJobTable(html, study.Runs);
        AppendCharts(html, study.Runs, setup);
        AppendDefinitions(html);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendSetup(StringBuilder html, StudySetup setup)
    {
        MachineSpec machine = setup.Machine;
        html.Append("<h2>Machine and workload</h2>\n<table>\n");
        Row(html, "device", setup.DeviceSummary);
        Row(html, "controller", "emulated AHCI (ICH9-style) with NCQ, driven by the stack's AHCI driver");
        Row(html, "capacity", $"{setup.CapacitySectors.ToString("N0", CultureInfo.InvariantCulture)} sectors of 512 bytes");
        Row(html, "backing store", machine.ImagePath is null ? "sparse in-memory store" : $"image file {machine.ImagePath}");
        Row(html, "filesystem", machine.FileSystem switch
        {
            FileSystemKind.Ext2 => "ext2, freshly formatted by the stack's mkfs",
            FileSystemKind.RamFs => "ramfs",
            _ => "none (jobs use the block device)",
        });
        Row(html, "seed", machine.Seed.ToString(CultureInfo.InvariantCulture));
        Row(html, "elevators", string.Join(", ", setup.Schedulers));
        Row(html, "workload", setup.WorkloadSource);
        html.Append("</table>\n<table>\n<tr><th class=\"name\">job</th><th class=\"name\">fio options</th></tr>\n");
        foreach (JobSpec job in setup.Jobs)
            html.Append($"<tr><td class=\"name\">{E(job.Name)}</td><td class=\"name\"><code>{E(JobText.Describe(job))}</code></td></tr>\n");
        html.Append("</table>\n");
    }

    private static void AppendRunTable(StringBuilder html, IReadOnlyList<RunMetrics> runs)
    {
        html.Append("<h2>Runs</h2>\n<table>\n<tr><th class=\"name\">elevator</th><th>seek distance (sectors)</th><th>seek (disk strokes)</th>" +
                    "<th>merges</th><th>Jain (IOPS)</th><th>read p99 (ms)</th><th>read max (ms)</th><th>max queue depth</th>" +
                    "<th>virtual s</th><th>wall s</th><th>errors</th></tr>\n");
        foreach (RunMetrics run in runs)
        {
            html.Append($"<tr><td class=\"name\">{E(run.Scheduler)}</td><td>{N(run.Trace.SeekSectors)}</td><td>{F(run.SeekDiskShare, 2)}</td>" +
                        $"<td>{N(run.Trace.Merges)}</td><td>{F(run.JainIndex, 3)}</td><td>{Ms(run.ReadLatency.P99Ns)}</td><td>{Ms(run.ReadLatency.MaxNs)}</td>" +
                        $"<td>{run.Trace.MaxQueueDepth}</td><td>{F(run.VirtualSeconds, 3)}</td><td>{F(run.WallSeconds, 2)}</td><td>{N(run.Errors)}</td></tr>\n");
        }
        html.Append("</table>\n");
        foreach (RunMetrics run in runs.Where(r => r.FirstError is not null))
            html.Append($"<p class=\"note\">{E(run.Scheduler)}: first error: {E(run.FirstError!)}</p>\n");
    }

    private static void AppendJobTable(StringBuilder html, IReadOnlyList<RunMetrics> runs)
    {
        html.Append("<h2>Jobs</h2>\n<table>\n<tr><th class=\"name\">elevator</th><th class=\"name\">job</th><th>IOPS</th><th>MB/s</th>" +
                    "<th>mean (ms)</th><th>p50 (ms)</th><th>p99 (ms)</th><th>p99.9 (ms)</th><th>max (ms)</th><th>I/Os</th></tr>\n");
        foreach (RunMetrics run in runs)
        {
            for (int i = 0; i < run.Jobs.Count; i++)
            {
                JobMetrics job = run.Jobs[i];
                string elevator = i == 0 ? E(run.Scheduler) : "";
                html.Append($"<tr{(i == 0 ? " class=\"first\"" : "")}><td class=\"name\">{elevator}</td><td class=\"name\">{E(job.Name)}</td>" +
                            $"<td>{F(job.Iops, 1)}</td><td>{F(job.MBps, 2)}</td><td>{F(job.Latency.MeanNs / 1e6, 3)}</td><td>{Ms(job.Latency.P50Ns)}</td>" +
                            $"<td>{Ms(job.Latency.P99Ns)}</td><td>{Ms(job.Latency.P999Ns)}</td><td>{Ms(job.Latency.MaxNs)}</td><td>{N(job.Ios)}</td></tr>\n");
            }
        }
        html.Append("</table>\n");
    }

    private static void AppendCharts(StringBuilder html, IReadOnlyList<RunMetrics> runs, StudySetup setup)
    {
        html.Append("<h2>Latency</h2>\n").Append(StudyCharts.LatencyCdf(runs));
        html.Append("<h2>Throughput</h2>\n").Append(StudyCharts.CumulativeData(runs, setup.BucketNs));
        html.Append("<p class=\"note\">Completed bytes per time bucket (the same buckets for every run).</p>\n<div class=\"charts\">\n");
        foreach (string chart in StudyCharts.Throughput(runs))
            html.Append(chart);
        html.Append("</div>\n");
        html.Append("<h2>Head position</h2>\n<p class=\"note\">The start sector of every request the elevator issued to the driver " +
                    "(long runs are thinned to every k-th request). With NCQ the drive may reorder what it holds once more.</p>\n<div class=\"charts\">\n");
        foreach (string chart in StudyCharts.HeadPosition(runs, setup.CapacitySectors))
            html.Append(chart);
        html.Append("</div>\n<h2>Queue depth</h2>\n<p class=\"note\">Requests issued to the driver and not yet completed (at most the NCQ depth).</p>\n<div class=\"charts\">\n");
        foreach (string chart in StudyCharts.QueueDepth(runs))
            html.Append(chart);
        html.Append("</div>\n");
    }

    private static void AppendDefinitions(StringBuilder html)
    {
        html.Append("""
            <h2>Definitions</h2>
            <ul class="note">
            <li><b>Seek distance</b>: over the requests issued to the driver in issue order, the sum of |start sector minus the end of the previous data request|; flushes do not move the head. "Disk strokes" divides it by the disk's size.</li>
            <li><b>Merges</b>: bios merged into a queued request (blktrace M and F events).</li>
            <li><b>Jain (IOPS)</b>: Jain's fairness index over the jobs' IOPS, (sum x)^2 / (n sum x^2): 1 when all jobs get the same number of I/Os served, 1/n when one gets everything. IOPS rather than bytes because on a disk an I/O costs mostly positioning, whatever its size.</li>
            <li><b>Latency</b>: from submission to completion of each I/O as the job sees it; percentiles are exact nearest-rank values.</li>
            <li><b>IOPS, MB/s</b>: I/Os and 10^6 bytes over the job's window, from its first submission to its last completion.</li>
            </ul>

            """);
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append($"<tr><th class=\"name\">{E(key)}</th><td class=\"name\">{E(value)}</td></tr>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(long ns) => F(ns / 1e6, 3);
}
