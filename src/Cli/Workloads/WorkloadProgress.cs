using Hardware.Emulator.Simulation;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Hands each counted completion to the observer and reports progress every <see cref="ProgressEvery"/> completions.
/// Without an observer there is nothing to hand over: callers ask <see cref="Observed"/> before building a completion.
/// </summary>
internal sealed class WorkloadProgress(Simulation simulation, IWorkloadObserver? observer, long expectedEndNs)
{
    public const int ProgressEvery = 512;

    public bool Observed => observer is not null;

    public long Completions { get; private set; }

    public void Completed(in IoCompletion completion)
    {
        if (observer is null)
            return;
        Completions++;
        observer.OnCompletion(completion);
        if (Completions % ProgressEvery == 0)
            observer.OnProgress(simulation.Now, expectedEndNs);
    }

    public void Finished() => observer?.OnProgress(simulation.Now, expectedEndNs);
}
