using System.Numerics;

namespace Hardware.Emulator.Simulation;

/// <summary>
/// Seeded xoshiro256** generator. Every random choice below the CLI comes from one of these, derived from the
/// machine seed and a stream name, so adding a new consumer does not perturb the numbers of existing ones.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for the named stream of <paramref name="seed"/>.</summary>
    public static SimRandom ForStream(ulong seed, string stream) => new(seed ^ StableHash.Fnv1a64(stream));

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public long NextInt64(long exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - (ulong.MaxValue % range);
        ulong value;
        do value = NextUInt64(); while (value >= limit);
        return (long)(value % range);
    }

    public int NextInt32(int exclusiveMax) => (int)NextInt64(exclusiveMax);

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
