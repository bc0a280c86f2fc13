using Hardware.Cli.Workloads;

namespace Hardware.Cli.Tests.Workloads;

public class LatencyLogTests
{
    /// <summary>The figures as a comparison sort gives them: sums over the sorted values, smallest first.</summary>
    private static LatencyStats Expected(long[] samples)
    {
        long[] sorted = (long[])samples.Clone();
        Array.Sort(sorted);
        double sum = 0;
        foreach (long value in sorted)
            sum += value;
        double mean = sum / sorted.Length;
        double squares = 0;
        foreach (long value in sorted)
            squares += (value - mean) * (value - mean);
        double stddev = sorted.Length > 1 ? Math.Sqrt(squares / (sorted.Length - 1)) : 0;
        var table = new Dictionary<string, long>();
        foreach (double p in LatencyLog.FioPercentiles)
        {
            int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            table[LatencyLog.Key(p)] = sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
        return new LatencyStats(sorted[0], sorted[^1], mean, stddev, sorted.Length, table);
    }

    private static LatencyStats Summarise(long[] samples)
    {
        var log = new LatencyLog();
        foreach (long sample in samples)
            log.Add(sample);
        return log.Summarise();
    }

    private static void AssertSame(LatencyStats expected, LatencyStats actual)
    {
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Mean), BitConverter.DoubleToInt64Bits(actual.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.StdDev), BitConverter.DoubleToInt64Bits(actual.StdDev));
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Percentiles.OrderBy(p => p.Key), actual.Percentiles.OrderBy(p => p.Key));
    }

    public static TheoryData<string> Distributions => ["wide", "narrow", "constant", "negative", "huge", "one", "two"];

    private static long[] Samples(string distribution)
    {
        var random = new Random(7);
        return distribution switch
        {
            "wide" => Enumerable.Range(0, 100_000).Select(_ => random.NextInt64(0, 50_000_000_000)).ToArray(),
            "narrow" => Enumerable.Range(0, 70_001).Select(_ => 12_000 + random.NextInt64(0, 300)).ToArray(),
            "constant" => Enumerable.Repeat(2_000L, 5_000).ToArray(),
            "negative" => Enumerable.Range(0, 10_000).Select(_ => random.NextInt64(-1_000_000, 1_000_000)).ToArray(),
            "huge" => Enumerable.Range(0, 10_000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray(),
            "one" => [42],
            _ => [9, 3],
        };
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Summaries_are_exactly_those_of_a_comparison_sort_to_the_last_bit(string distribution)
    {
        long[] samples = Samples(distribution);

        AssertSame(Expected(samples), Summarise(samples));
    }

    [Fact]
    public void Percentiles_are_exact_sample_values_not_binned_approximations()
    {
        long[] samples = Enumerable.Range(1, 1000).Select(i => (long)i * 1_001).Reverse().ToArray();

        LatencyStats stats = Summarise(samples);

        Assert.Equal(1_001, stats.Min);
        Assert.Equal(1_001_000, stats.Max);
        Assert.Equal(500 * 1_001, stats.Percentiles[LatencyLog.Key(50)]);
        Assert.Equal(990 * 1_001, stats.Percentiles[LatencyLog.Key(99)]);
        Assert.Equal(1000 * 1_001, stats.Percentiles[LatencyLog.Key(99.99)]);
    }

    [Fact]
    public void A_log_summarised_twice_gives_the_same_figures()
    {
        var log = new LatencyLog();
        var random = new Random(3);
        for (int i = 0; i < 3_000; i++)
            log.Add(random.NextInt64(0, 1 << 20));

        LatencyStats first = log.Summarise();
        LatencyStats second = log.Summarise();

        AssertSame(first, second);
    }

    [Fact]
    public void An_empty_log_is_all_zeros()
    {
        LatencyStats stats = new LatencyLog().Summarise();

        Assert.Equal((0L, 0L, 0.0, 0.0, 0L), (stats.Min, stats.Max, stats.Mean, stats.StdDev, stats.Count));
        Assert.Empty(stats.Percentiles);
    }
}
