using Hardware.Cli.Study;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Tests.Study;

public class LatencyAndFairnessTests
{
    [Theory]
    [InlineData(new double[] { 5, 5, 5, 5 }, 1.0)]
    [InlineData(new double[] { 10, 0, 0, 0 }, 0.25)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 100.0 / 120)] // (10)^2 / (4 x 30)
    [InlineData(new double[] { 3, 1 }, 0.8)] // 16 / (2 x 10)
    public void Jains_index_has_its_known_values(double[] shares, double expected)
    {
        Assert.Equal(expected, JainFairness.Index(shares), 12);
    }

    [Fact]
    public void Jains_index_is_one_when_nothing_was_served()
    {
        Assert.Equal(1.0, JainFairness.Index([0, 0]));
        Assert.Equal(1.0, JainFairness.Index([]));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        long[] sorted = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();
        Assert.Equal(500, LatencySummary.Percentile(sorted, 50));
        Assert.Equal(990, LatencySummary.Percentile(sorted, 99));
        Assert.Equal(999, LatencySummary.Percentile(sorted, 99.9));
        Assert.Equal(1000, LatencySummary.Percentile(sorted, 100));
        Assert.Equal(1, LatencySummary.Percentile(sorted, 0));
        Assert.Equal(2, LatencySummary.Percentile([1L, 2, 3], 50));
    }

    [Fact]
    public void A_summary_has_mean_percentiles_and_max()
    {
        LatencySummary summary = LatencySummary.FromSorted([10L, 20, 30, 40]);
        Assert.Equal(new LatencySummary(4, 25, 20, 40, 40, 40), summary);
    }

    [Fact]
    public void The_cdf_rises_from_the_smallest_to_the_largest_latency_and_stays_short()
    {
        long[] sorted = Enumerable.Range(1, 100_000).Select(i => (long)i * 1000).ToArray();
        IReadOnlyList<SeriesPoint> cdf = LatencyCdf.FromSorted(sorted);
        Assert.InRange(cdf.Count, 100, 130);
        Assert.Equal(0.001, cdf[0].X, 9); // 1 us in ms
        Assert.Equal(100.0, cdf[^1].X, 9);
        Assert.Equal(1.0, cdf[^1].Y);
        Assert.Contains(cdf, p => Math.Abs(p.Y - 0.999) < 1e-12 && Math.Abs(p.X - 99.9) < 1e-9);
        Assert.True(cdf.Zip(cdf.Skip(1)).All(pair => pair.First.X <= pair.Second.X && pair.First.Y < pair.Second.Y));
    }

    [Fact]
    public void Job_figures_come_from_each_jobs_own_window()
    {
        IoCompletion[] completions =
        [
            new("reader", true, 4096, 0, 10_000_000),
            new("reader", true, 4096, 10_000_000, 20_000_000),
            new("writer", false, 1_000_000, 0, 500_000_000),
        ];
        IReadOnlyList<JobMetrics> jobs = JobMetrics.Compute(completions, ["writer", "reader", "idle"]);
        Assert.Equal(["writer", "reader", "idle"], jobs.Select(j => j.Name));
        JobMetrics reader = jobs[1];
        Assert.Equal(2, reader.Ios);
        Assert.Equal(100, reader.Iops, 9); // 2 I/Os in 20 ms
        Assert.Equal(8192 / 1e6 / 0.02, reader.MBps, 9);
        Assert.Equal(10_000_000, reader.Latency.MaxNs);
        Assert.Equal(2.0, jobs[0].MBps, 9);
        Assert.Equal(0, jobs[2].Iops);
    }
}
