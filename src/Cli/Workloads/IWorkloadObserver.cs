using Hardware.BlockLayer.Tracing;

namespace Hardware.Cli.Workloads;

/// <summary>One completed I/O of a job, in virtual nanoseconds (for latency CDFs and throughput over time).</summary>
public readonly record struct IoCompletion(string Job, bool IsRead, int Bytes, long SubmittedNs, long CompletedNs);

/// <summary>
/// What a caller may watch while a workload runs: a block tracer on the disk's queue (blktrace files, study
/// metrics), each completed I/O, and progress in virtual time (for progress bars).
/// </summary>
public interface IWorkloadObserver
{
    /// <summary>A tracer to attach to the disk's request queue, or null.</summary>
    IBlockTracer? Tracer { get; }

    void OnCompletion(in IoCompletion completion);

    /// <summary>Called now and then with the virtual time reached and the time the run is expected to end (0 if unknown).</summary>
    void OnProgress(long nowNs, long expectedEndNs);
}
