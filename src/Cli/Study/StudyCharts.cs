using Hardware.Cli.Study.Charts;

namespace Hardware.Cli.Study;

/// <summary>
/// The report's pictures. Schedulers share one chart where their lines stay readable together (latency CDF,
/// throughput); head position and queue depth get one small chart per scheduler on common axes, because nine
/// overlaid scatters are noise.
/// </summary>
public static class StudyCharts
{
    /// <summary>Buckets of min/max downsampling for lines and steps (at most twice as many points).</summary>
    public const int LineBuckets = 300;

    /// <summary>Dots per head-position chart.</summary>
    public const int MaxDots = 1500;

    public static string LatencyCdf(IReadOnlyList<RunMetrics> runs) => SvgChart.Render(
        new ChartOptions
        {
            Title = "Read latency CDF (all jobs' reads)",
            XLabel = "latency (ms, log scale)",
            YLabel = "share of reads at or below",
            LogX = true,
            YMin = 0,
            YMax = 1,
        },
        runs.Select(r => new ChartSeries(r.Scheduler, r.ReadLatencyCdf)).ToList());

    /// <summary>Data moved so far per scheduler: the slopes compare throughput where nine bursty lines would not.</summary>
    public static string CumulativeData(IReadOnlyList<RunMetrics> runs, long bucketNs) => SvgChart.Render(
        new ChartOptions { Title = "Data completed over time (all requests)", XLabel = "virtual time (s)", YLabel = "MB completed", YMin = 0, XMin = 0 },
        runs.Select(r => new ChartSeries(r.Scheduler, Downsample.MinMax(Cumulative(r.Trace.ThroughputMBps, bucketNs / 1e9), LineBuckets))).ToList());

    public static IReadOnlyList<string> Throughput(IReadOnlyList<RunMetrics> runs)
    {
        double end = EndSeconds(runs);
        double peak = Math.Max(1, runs.SelectMany(r => r.Trace.ThroughputMBps).Select(p => p.Y).DefaultIfEmpty(0).Max());
        return runs.Select((run, i) => SvgChart.Render(
            Small($"Throughput: {run.Scheduler}", "MB/s", end) with { YMin = 0, YMax = AxisScale.NiceBounds(0, peak, log: false).Max },
            [new ChartSeries(run.Scheduler, Downsample.MinMax(run.Trace.ThroughputMBps, LineBuckets))],
            i)).ToList();
    }

    /// <summary>Buckets of MB/s (at their middles) as MB completed by each bucket's end.</summary>
    private static List<SeriesPoint> Cumulative(IReadOnlyList<SeriesPoint> throughput, double bucketSeconds)
    {
        var points = new List<SeriesPoint>(throughput.Count + 1) { new(0, 0) };
        double total = 0;
        for (int i = 0; i < throughput.Count; i++)
        {
            total += throughput[i].Y * bucketSeconds;
            points.Add(new SeriesPoint((i + 1) * bucketSeconds, total));
        }
        return points;
    }

    public static IReadOnlyList<string> HeadPosition(IReadOnlyList<RunMetrics> runs, long capacitySectors)
    {
        double end = EndSeconds(runs);
        return runs.Select((run, i) => SvgChart.Render(
            Small($"Head position: {run.Scheduler}", "LBA of each issued request (sectors)", end) with { YMin = 0, YMax = capacitySectors },
            [new ChartSeries(run.Scheduler, Downsample.Stride(run.Trace.HeadPosition, MaxDots), SeriesStyle.Dots)],
            i)).ToList();
    }

    public static IReadOnlyList<string> QueueDepth(IReadOnlyList<RunMetrics> runs)
    {
        double end = EndSeconds(runs);
        int deepest = Math.Max(1, runs.Max(r => r.Trace.MaxQueueDepth));
        return runs.Select((run, i) => SvgChart.Render(
            Small($"Queue depth: {run.Scheduler}", "requests at the driver", end) with { YMin = 0, YMax = deepest },
            [new ChartSeries(run.Scheduler, Downsample.MinMax(run.Trace.QueueDepth, LineBuckets), SeriesStyle.Step)],
            i)).ToList();
    }

    private static ChartOptions Small(string title, string yLabel, double endSeconds) => new()
    {
        Title = title,
        XLabel = "virtual time (s)",
        YLabel = yLabel,
        XMin = 0,
        XMax = endSeconds,
        Width = 420,
        Height = 240,
        Legend = false,
    };

    private static double EndSeconds(IReadOnlyList<RunMetrics> runs)
    {
        double end = runs.SelectMany(r => r.Trace.QueueDepth.Concat(r.Trace.HeadPosition)).Select(p => p.X).DefaultIfEmpty(0).Max();
        return end > 0 ? end : 1;
    }
}
