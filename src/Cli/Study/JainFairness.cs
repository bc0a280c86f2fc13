namespace Hardware.Cli.Study;

/// <summary>
/// Jain's fairness index (Jain, Chiu and Hawe 1984): (sum x)^2 / (n x sum x^2). 1 when every job gets the same,
/// 1/n when one job gets everything.
/// <para>
/// The study feeds it the jobs' IOPS, not their bytes: on a disk the cost of an I/O is mostly positioning (seek and
/// rotation, ~8-12 ms) and hardly its size (128 KiB transfer ~1 ms), so one I/O is close to one unit of service
/// whatever its size. Over bytes a streamer with 1 MiB blocks would make every scheduler look unfair to the 4 KiB
/// readers; over IOPS the index moves when a scheduler starves some jobs to serve others (SSTF and LOOK favour the
/// job near the head).
/// </para>
/// </summary>
public static class JainFairness
{
    /// <summary>The index over <paramref name="shares"/> (non-negative); 1 for no jobs or nothing served.</summary>
    public static double Index(IReadOnlyCollection<double> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        double sum = 0, sumOfSquares = 0;
        foreach (double x in shares)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(x, nameof(shares));
            sum += x;
            sumOfSquares += x * x;
        }
        return sumOfSquares == 0 ? 1 : sum * sum / (shares.Count * sumOfSquares);
    }
}
