using Hardware.Emulator.Simulation;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Draws block numbers in [0, ranges) for one file of one clone with fio's random_distribution semantics (lib/zipf.c,
/// lib/gauss.c): the distribution picks a rank (0 the hottest for zipf and pareto, the middle for normal); the rank is
/// scattered over the region by a 64-bit hash and shifted by an offset (random per file, or ranges·CENTER), modulo the
/// region, so hot blocks are spread over the file rather than packed at its start. The uniform numbers come from the
/// clone's own stream, so a run repeats; they cannot be fio's numbers, but the shape of the hit frequencies is.
/// </summary>
public sealed class OffsetGenerator
{
    /// <summary>fio averages this many uniform draws for its normal distribution (central limit).</summary>
    private const int NormalDraws = 12;

    /// <summary>Below this many ranks zeta(n, theta) is summed term by term; above, the tail is integrated.</summary>
    private const long ExactZetaTerms = 100_000;

    private readonly OffsetDistribution _distribution;
    private readonly long _ranges;
    private readonly ulong _offset;
    private readonly double _zetaN;
    private readonly double _zipfAlpha;
    private readonly double _zipfEta;
    private readonly double _zipfSecond;
    private readonly double _paretoPower;
    private readonly long _normalSpread;

    public OffsetGenerator(OffsetDistribution distribution, long ranges, SimRandom setup)
    {
        if (ranges < 1)
            throw new ArgumentOutOfRangeException(nameof(ranges), ranges, "a region has at least one block");
        _distribution = distribution;
        _ranges = ranges;
        double value = distribution.Value;
        switch (distribution.Kind)
        {
            case OffsetDistributionKind.Zipf:
                _zetaN = Zeta(ranges, value);
                double zeta2 = 1 + Math.Pow(0.5, value);
                _zipfSecond = zeta2;
                _zipfAlpha = 1 / (1 - value);
                _zipfEta = (1 - Math.Pow(2.0 / ranges, 1 - value)) / (1 - zeta2 / _zetaN);
                break;
            case OffsetDistributionKind.Pareto:
                _paretoPower = Math.Log(value) / Math.Log(1 - value);
                break;
            case OffsetDistributionKind.Normal:
                if (value > 0)
                    _normalSpread = Math.Min((long)Math.Ceiling(ranges * value / 100), ranges / 2);
                break;
        }
        ulong randomOffset = setup.NextUInt64();
        _offset = distribution.Kind switch
        {
            OffsetDistributionKind.Normal => distribution.Center is { } c ? (ulong)(long)(ranges * (c - 0.5)) : 0,
            _ => distribution.Center is { } center ? (ulong)(ranges * center) : randomOffset,
        };
    }

    public long Ranges => _ranges;

    /// <summary>The next block number in [0, ranges).</summary>
    public long Next(SimRandom random) => Place(Rank(random));

    /// <summary>
    /// The next rank, before scattering: for zipf and pareto 0 is the hottest; for normal the ranks bunch around the
    /// middle. Uniform draws are already block numbers.
    /// </summary>
    public ulong Rank(SimRandom random) => _distribution.Kind switch
    {
        OffsetDistributionKind.Zipf => ZipfRank(random.NextDouble()),
        OffsetDistributionKind.Pareto => (ulong)((_ranges - 1) * Math.Pow(random.NextDouble(), _paretoPower)),
        OffsetDistributionKind.Normal => NormalRank(random),
        _ => (ulong)random.NextInt64(_ranges),
    };

    /// <summary>
    /// Where a rank lands: hashed and shifted modulo the region, as fio does. The hash is not a permutation, so some
    /// ranks share a block and some blocks get none; hit shares per block are therefore a little more skewed than the
    /// ranks' (fio's are too).
    /// </summary>
    public long Place(ulong rank) => _distribution.Kind == OffsetDistributionKind.Random
        ? (long)rank
        : (long)(unchecked(Scatter(rank) + _offset) % (ulong)_ranges);

    /// <summary>The rank of a zipf draw (0 the hottest), by Gray et al.'s inversion as fio's zipf_next does it.</summary>
    public ulong ZipfRank(double uniform)
    {
        double scaled = uniform * _zetaN;
        if (scaled < 1 || _ranges == 1)
            return 0;
        if (scaled < _zipfSecond || _ranges == 2)
            return 1;
        double rank = _ranges * Math.Pow(_zipfEta * uniform - _zipfEta + 1, _zipfAlpha);
        return (ulong)Math.Clamp(rank, 0, _ranges - 1);
    }

    private ulong NormalRank(SimRandom random)
    {
        ulong sum = 0;
        for (int i = 0; i < NormalDraws; i++)
            sum += (ulong)random.NextInt64(_ranges + 1);
        long rank = (long)((sum + NormalDraws - 1) / NormalDraws);
        if (_normalSpread > 0)
        {
            long deviation = (long)(_normalSpread * random.NextDouble()) - _normalSpread / 2;
            while (rank + deviation >= _ranges)
                deviation /= 2;
            rank = Math.Max(0, rank + deviation);
        }
        return (ulong)rank;
    }

    /// <summary>A 64-bit mixing function (splitmix64's finaliser): neighbouring ranks land far apart.</summary>
    public static ulong Scatter(ulong value)
    {
        unchecked
        {
            value ^= value >> 30;
            value *= 0xBF58476D1CE4E5B9UL;
            value ^= value >> 27;
            value *= 0x94D049BB133111EBUL;
            value ^= value >> 31;
            return value;
        }
    }

    /// <summary>zeta(n, theta) = sum of 1/k^theta for k = 1..n; past the first terms the tail by Euler-Maclaurin.</summary>
    public static double Zeta(long n, double theta)
    {
        long exact = Math.Min(n, ExactZetaTerms);
        double sum = 0;
        for (long k = 1; k <= exact; k++)
            sum += Math.Pow(k, -theta);
        if (n == exact)
            return sum;
        double a = exact, b = n;
        double integral = Math.Abs(theta - 1) < 1e-12
            ? Math.Log(b / a)
            : (Math.Pow(b, 1 - theta) - Math.Pow(a, 1 - theta)) / (1 - theta);
        double ends = (Math.Pow(b, -theta) - Math.Pow(a, -theta)) / 2;
        double slope = (-theta * Math.Pow(b, -theta - 1) + theta * Math.Pow(a, -theta - 1)) / 12;
        return sum + integral + ends + slope;
    }
}
