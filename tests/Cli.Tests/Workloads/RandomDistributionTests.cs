using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Commands;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;
using Hardware.Emulator.Simulation;

namespace Hardware.Cli.Tests.Workloads;

public class RandomDistributionTests
{
    private const int Blocks = 1000;
    private const int Draws = 200_000;

    /// <summary>The share of all draws that fell on the hottest <paramref name="fraction"/> of the blocks.</summary>
    private static double HottestShare(IEnumerable<long> blocks, int blockCount, double fraction)
    {
        long[] hits = new long[blockCount];
        long total = 0;
        foreach (long block in blocks)
        {
            hits[block]++;
            total++;
        }
        Array.Sort(hits);
        Array.Reverse(hits);
        return (double)hits.Take((int)(blockCount * fraction)).Sum() / total;
    }

    private static OffsetGenerator Generator(string distribution)
    {
        OffsetDistribution parsed = OffsetDistribution.Parse(distribution, out string error) ?? throw new InvalidOperationException(error);
        return new OffsetGenerator(parsed, Blocks, SimRandom.ForStream(7, "setup"));
    }

    /// <summary>Block numbers, as a job uses them (ranks scattered over the region).</summary>
    private static IEnumerable<long> Draw(string distribution)
    {
        OffsetGenerator generator = Generator(distribution);
        var random = SimRandom.ForStream(7, "draws");
        for (int i = 0; i < Draws; i++)
            yield return generator.Next(random);
    }

    /// <summary>Ranks before scattering: the distribution's own shape.</summary>
    private static IEnumerable<long> Ranks(string distribution)
    {
        OffsetGenerator generator = Generator(distribution);
        var random = SimRandom.ForStream(7, "draws");
        for (int i = 0; i < Draws; i++)
            yield return (long)Math.Min(generator.Rank(random), Blocks - 1);
    }

    private static double ZipfShare(int top, int n, double theta)
    {
        double Sum(int upTo) => Enumerable.Range(1, upTo).Sum(k => Math.Pow(k, -theta));
        return Sum(top) / Sum(n);
    }

    [Fact]
    public void Zipf_1_2_over_1000_blocks_puts_the_share_the_zipf_formula_gives_on_the_hottest_10_percent()
    {
        double expected = ZipfShare(100, Blocks, 1.2);
        Assert.InRange(expected, 0.82, 0.84);
        Assert.InRange(HottestShare(Ranks("zipf:1.2"), Blocks, 0.10), expected - 0.02, expected + 0.02);
        // Scattered over the blocks, ranks that hash to one block add up: never less skewed than the formula.
        Assert.InRange(HottestShare(Draw("zipf:1.2"), Blocks, 0.10), expected - 0.01, expected + 0.06);
    }

    [Fact]
    public void A_larger_zipf_theta_makes_the_hot_blocks_hotter()
    {
        double mild = HottestShare(Ranks("zipf:0.8"), Blocks, 0.10);
        double steep = HottestShare(Ranks("zipf:1.5"), Blocks, 0.10);
        Assert.InRange(mild, ZipfShare(100, Blocks, 0.8) - 0.03, ZipfShare(100, Blocks, 0.8) + 0.03);
        Assert.InRange(steep, ZipfShare(100, Blocks, 1.5) - 0.02, ZipfShare(100, Blocks, 1.5) + 0.02);
        Assert.True(steep > mild + 0.2, $"zipf:1.5 {steep:P1} against zipf:0.8 {mild:P1}");
    }

    [Fact]
    public void Pareto_0_2_puts_80_percent_of_the_hits_on_20_percent_of_the_ranks()
    {
        // rank = (n-1)·u^(ln 0.2 / ln 0.8): P(rank < n/5) = 0.2^(ln 0.8 / ln 0.2) = 0.8.
        Assert.InRange(HottestShare(Ranks("pareto:0.2"), Blocks, 0.20), 0.79, 0.81);
        Assert.InRange(HottestShare(Draw("pareto:0.2"), Blocks, 0.20), 0.79, 0.90);
    }

    [Fact]
    public void Normal_without_deviation_puts_about_two_thirds_of_the_hits_on_the_sixth_of_the_ranks_around_the_middle()
    {
        // fio's normal averages 12 uniform draws over the region: a standard deviation of n/12 ranks, so one
        // deviation either side of the middle (a sixth of the ranks) holds about 68 %.
        double share = HottestShare(Ranks("normal"), Blocks, 1.0 / 6);
        Assert.InRange(share, 0.66, 0.71);
        double mean = Ranks("normal").Average();
        Assert.InRange(mean, Blocks / 2 - 5, Blocks / 2 + 5);
    }

    [Fact]
    public void A_normal_deviation_spreads_the_hits_wider()
    {
        double narrow = HottestShare(Ranks("normal:0"), Blocks, 1.0 / 6);
        double wide = HottestShare(Ranks("normal:50"), Blocks, 1.0 / 6);
        Assert.True(wide < narrow - 0.15, $"normal:50 {wide:P1} against normal:0 {narrow:P1}");
    }

    [Fact]
    public void Random_spreads_the_hits_evenly()
    {
        double share = HottestShare(Draw("random"), Blocks, 0.10);
        Assert.InRange(share, 0.10, 0.13);
    }

    [Fact]
    public void The_hottest_blocks_are_scattered_over_the_region_not_packed_at_its_start()
    {
        long[] hits = new long[Blocks];
        foreach (long block in Draw("zipf:1.2"))
            hits[block]++;
        int[] hottest = [.. Enumerable.Range(0, Blocks).OrderByDescending(b => hits[b]).Take(20)];
        Assert.True(hottest.Max() - hottest.Min() > Blocks / 2, string.Join(",", hottest));
    }

    [Fact]
    public void A_center_moves_the_hottest_rank_to_that_fraction_of_the_region_before_scattering()
    {
        OffsetDistribution at = OffsetDistribution.Parse("zipf:1.2:0.25", out _)!;
        var one = new OffsetGenerator(at, Blocks, SimRandom.ForStream(1, "a"));
        var other = new OffsetGenerator(at, Blocks, SimRandom.ForStream(2, "b"));
        var r1 = SimRandom.ForStream(3, "x");
        var r2 = SimRandom.ForStream(3, "x");
        Assert.Equal(Enumerable.Range(0, 100).Select(_ => one.Next(r1)), Enumerable.Range(0, 100).Select(_ => other.Next(r2)));
        long hottest = one.Place(0);
        long fromStart = new OffsetGenerator(OffsetDistribution.Parse("zipf:1.2:0", out _)!, Blocks, SimRandom.ForStream(1, "a")).Place(0);
        Assert.Equal((fromStart + Blocks / 4) % Blocks, hottest);
    }

    [Fact]
    public void Zeta_of_a_large_region_matches_the_term_by_term_sum()
    {
        double exact = 0;
        for (long k = 1; k <= 2_000_000; k++)
            exact += Math.Pow(k, -1.2);
        Assert.Equal(exact, OffsetGenerator.Zeta(2_000_000, 1.2), 6);
    }

    [Theory]
    [InlineData("random_distribution=zipf:1", "zipf theta must be above 0 and not 1")]
    [InlineData("random_distribution=zipf:x", "'x' is not a number")]
    [InlineData("random_distribution=pareto:1.5", "pareto h must be above 0 and below 1")]
    [InlineData("random_distribution=normal:100", "normal deviation must be 0 to below 100 (percent)")]
    [InlineData("random_distribution=zipf:1.2:2", "center '2' must be a number from 0 to 1")]
    [InlineData("random_distribution=zoned:60/10:40/90", "'zoned' distributions are not supported (random, zipf:THETA, pareto:H, normal:DEV)")]
    [InlineData("random_distribution=lognormal", "must be random, zipf[:THETA[:CENTER]], pareto[:H[:CENTER]] or normal[:DEV[:CENTER]]")]
    [InlineData("random_distribution=zipf:1.2,pareto:0.3", "separate read,write distributions are not supported; give one")]
    [InlineData("percentage_random=101", "must be 0 to 100")]
    [InlineData("percentage_random=50,20", "separate read,write values are not supported; give one value")]
    public void A_bad_distribution_or_percentage_is_refused_with_its_line_and_what_is_allowed(string line, string why)
    {
        var error = Assert.Throws<CliException>(() => JobFileParser.Parse($"[r]\nrw=randread\n{line}\n", "t.fio"));
        Assert.Equal($"t.fio:3: {line}: {why}", error.Message);
    }

    [Fact]
    public void Distribution_values_default_as_fio_does()
    {
        Assert.Equal(1.1, OffsetDistribution.Parse("zipf", out _)!.Value);
        Assert.Equal(0.2, OffsetDistribution.Parse("pareto", out _)!.Value);
        Assert.Equal(0, OffsetDistribution.Parse("normal", out _)!.Value);
        JobSpec spec = JobFileParser.Parse("[r]\nrw=randread\n", "t.fio")[0];
        Assert.Equal(OffsetDistributionKind.Random, spec.RandomDistribution.Kind);
        Assert.Equal(100, spec.PercentageRandom);
    }

    private sealed class SectorRecorder : IWorkloadObserver, IBlockTracer
    {
        public readonly List<long> Sectors = [];
        public IBlockTracer? Tracer => this;
        public void OnCompletion(in IoCompletion completion) { }
        public void OnProgress(long nowNs, long expectedEndNs) { }
        public void NameProcess(int processId, string name, long time) { }

        public void Trace(in BlockTraceEvent e)
        {
            if (e.Action == BlockTraceAction.Queue)
                Sectors.Add(e.Sector);
        }
    }

    private static List<long> QueuedSectors(string extra)
    {
        var recorder = new SectorRecorder();
        string job = "[r]\nfilename=/dev/sda\nrw=randread\ndirect=1\nbs=4k\nsize=4m\nnumber_ios=4000\nloops=4\n" + extra;
        WorkloadResult result = WorkloadRunner.Run(new MachineSpec { Device = "ram" }, JobFileParser.Parse(job, "t.fio"), recorder);
        Assert.Equal(0, result.Jobs[0].Errors);
        return recorder.Sectors;
    }

    [Fact]
    public void A_zipf_job_sends_most_of_its_reads_to_a_few_blocks_of_the_device()
    {
        List<long> sectors = QueuedSectors("random_distribution=zipf:1.2\n");
        Assert.Equal(4000, sectors.Count);
        Assert.True(sectors.All(s => s % 8 == 0 && s < 8192));
        double share = HottestShare(sectors.Select(s => s / 8), 1024, 0.10);
        Assert.True(share > 0.75, $"hottest 10% of blocks got {share:P1}");
    }

    [Fact]
    public void Percentage_random_0_makes_a_random_job_sequential_and_50_continues_about_half_of_its_ios()
    {
        static int Continuing(List<long> sectors) => sectors.Zip(sectors.Skip(1)).Count(p => p.Second == p.First + 8);
        List<long> sequential = QueuedSectors("percentage_random=0\n");
        List<long> half = QueuedSectors("percentage_random=50\n");
        List<long> random = QueuedSectors("");
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => (long)(i % 1024) * 8), sequential);
        Assert.InRange(Continuing(half), 1800, 2200);
        Assert.InRange(Continuing(random), 0, 20);
    }
}
