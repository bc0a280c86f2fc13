using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>
/// Watches one run for the study: keeps every counted completion, hands the queue's events to the in-memory trace
/// the metrics come from (and to the run's blktrace file, when one is written), and turns progress in virtual time
/// into a share of the run done.
/// </summary>
internal sealed class StudyObserver(MemoryTracer memory, BlktraceWriter? file, Action<double?> progress) : IWorkloadObserver
{
    private readonly List<IoCompletion> _completions = [];
    private long _firstSubmission = -1;

    public IBlockTracer? Tracer { get; } = file is null ? memory : new FanOutTracer(memory, file);

    public IReadOnlyList<IoCompletion> Completions => _completions;

    public void OnCompletion(in IoCompletion completion)
    {
        if (_firstSubmission < 0 || completion.SubmittedNs < _firstSubmission)
            _firstSubmission = completion.SubmittedNs;
        _completions.Add(completion);
    }

    /// <summary>The share of the jobs' expected time that has passed (null while unknown: jobs bounded by size, not runtime).</summary>
    public void OnProgress(long nowNs, long expectedEndNs)
    {
        if (expectedEndNs <= 0 || _firstSubmission < 0 || expectedEndNs <= _firstSubmission)
        {
            progress(null);
            return;
        }
        progress(Math.Clamp((double)(nowNs - _firstSubmission) / (expectedEndNs - _firstSubmission), 0, 1));
    }
}
