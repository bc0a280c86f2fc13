using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>
/// One job's figures in a run, from its completed I/Os (reads and writes together). The job's window runs from
/// its first submission to its last completion, so a job that finished early is not diluted by the others.
/// </summary>
public sealed record JobMetrics
{
    public required string Name { get; init; }
    public required long Ios { get; init; }
    public required long Bytes { get; init; }
    public required long WindowNs { get; init; }
    public required LatencySummary Latency { get; init; }
    /// <summary>The job's latency distribution (see <see cref="LatencyCdf"/>).</summary>
    public required IReadOnlyList<SeriesPoint> LatencyCdf { get; init; }

    public double Iops => WindowNs == 0 ? 0 : Ios / (WindowNs / 1e9);

    /// <summary>10^6 bytes per second of virtual time.</summary>
    public double MBps => WindowNs == 0 ? 0 : Bytes / 1e6 / (WindowNs / 1e9);

    /// <summary>
    /// Figures per job, in the order of <paramref name="jobOrder"/> (jobs without completions are listed with
    /// zeros; completions of other names follow in the order first seen).
    /// </summary>
    public static IReadOnlyList<JobMetrics> Compute(IReadOnlyList<IoCompletion> completions, IReadOnlyList<string> jobOrder)
    {
        var byJob = new Dictionary<string, List<IoCompletion>>(StringComparer.Ordinal);
        var names = new List<string>(jobOrder);
        foreach (string name in jobOrder)
            byJob.TryAdd(name, []);
        foreach (IoCompletion completion in completions)
        {
            if (!byJob.TryGetValue(completion.Job, out List<IoCompletion>? list))
            {
                byJob.Add(completion.Job, list = []);
                names.Add(completion.Job);
            }
            list.Add(completion);
        }
        return names.Distinct(StringComparer.Ordinal).Select(name => Of(name, byJob[name])).ToList();
    }

    private static JobMetrics Of(string name, List<IoCompletion> completions)
    {
        long[] latencies = completions.Select(c => c.CompletedNs - c.SubmittedNs).Order().ToArray();
        long window = completions.Count == 0 ? 0 : completions.Max(c => c.CompletedNs) - completions.Min(c => c.SubmittedNs);
        return new JobMetrics
        {
            Name = name,
            Ios = completions.Count,
            Bytes = completions.Sum(c => (long)c.Bytes),
            WindowNs = window,
            Latency = LatencySummary.FromSorted(latencies),
            LatencyCdf = Study.LatencyCdf.FromSorted(latencies),
        };
    }
}
