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

    public static string Throughput(IReadOnlyList<RunMetrics> runs) => SvgChart.Render(
        new ChartOptions { Title = "Throughput over time (completed bytes, all requests)", XLabel = "virtual time (s)", YLabel = "MB/s", YMin = 0 },
        runs.Select(r => new ChartSeries(r.Scheduler, Downsample.MinMax(r.Trace.ThroughputMBps, LineBuckets))).ToList());

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
