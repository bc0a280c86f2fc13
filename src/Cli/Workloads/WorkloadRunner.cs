using System.Diagnostics;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Workloads;

/// <summary>
/// Runs fio jobs on an emulated machine in virtual time: boots the stack (<see cref="WorkloadStack"/>), resolves and
/// lays out the jobs' files (<see cref="JobTargets"/>), then starts every job's clones as simulated processes
/// (<see cref="JobClone"/>). Jobs run together, as fio runs them, except that a job with stonewall waits for every
/// job before it (and starts a new reporting group). Bad machines or jobs are <see cref="Commands.CliException"/>s;
/// a job whose I/O fails is reported in its <see cref="JobResult.Errors"/>.
/// </summary>
public static class WorkloadRunner
{
    /// <summary>Process ids of job clones start here (below are the boot and kernel processes).</summary>
    public const int FirstProcessId = 100;

    public static WorkloadResult Run(MachineSpec machine, IReadOnlyList<JobSpec> jobs, IWorkloadObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
            throw new ArgumentException("no job to run", nameof(jobs));
        var wall = Stopwatch.StartNew();
        WorkloadStack stack = WorkloadStack.Boot(machine, observer);
        WorkloadResult result;
        try
        {
            result = RunJobs(stack, machine, jobs, observer);
        }
        catch
        {
            stack.Abandon();
            throw;
        }
        stack.Dispose();
        wall.Stop();
        return result with { WallSeconds = wall.Elapsed.TotalSeconds };
    }

    private static WorkloadResult RunJobs(WorkloadStack stack, MachineSpec machine, IReadOnlyList<JobSpec> jobs, IWorkloadObserver? observer)
    {
        var targets = jobs.Select(job => Enumerable.Range(0, job.NumJobs).Select(clone => JobTargets.Resolve(stack, job, clone)).ToArray()).ToArray();
        stack.Run(() => JobTargets.LayOutAsync(stack, jobs.SelectMany((job, j) => targets[j].SelectMany(files => files.Select(file => (job, file))))));

        long start = stack.Simulation.Now;
        long eventsBefore = stack.Simulation.EventsFired;
        var groups = Group(jobs);
        var progress = new WorkloadProgress(stack.Simulation, observer, ExpectedEnd(start, jobs, groups));
        var stats = new JobStats[jobs.Count];
        int processId = FirstProcessId;
        var logs = new List<FioLogRecorder>();
        stack.Tracing = true;
        stack.Run(async () =>
        {
            for (int group = 0; group < groups.Count; group++)
            {
                var clones = new List<Task>();
                foreach (int j in groups[group])
                {
                    JobSpec job = jobs[j];
                    stats[j] = new JobStats(job, group);
                    for (int clone = 0; clone < job.NumJobs; clone++)
                    {
                        FioLogRecorder? log = FioLogRecorder.Wanted(job) ? new FioLogRecorder(job, processId - FirstProcessId + 1) : null;
                        if (log is not null)
                            logs.Add(log);
                        var worker = new JobClone(stack, job, clone, processId++, targets[j][clone], stats[j], progress, log);
                        observer?.Tracer?.NameProcess(worker.ProcessId, worker.Label, stack.Simulation.Now);
                        clones.Add(worker.RunAsync());
                    }
                }
                await Task.WhenAll(clones);
            }
        });
        stack.Tracing = false;
        progress.Finished();
        long end = stack.Simulation.Now;
        long events = stack.Simulation.EventsFired - eventsBefore;
        var results = stats.Select(s => s.ToResult()).ToArray();
        return new WorkloadResult
        {
            Logs = logs.SelectMany(log => log.Files()).ToArray(),
            Jobs = results,
            Device = machine.Device,
            Scheduler = machine.Scheduler,
            NrRequests = stack.Disk.Queue.NrRequests,
            VirtualSeconds = (end - start) / 1e9,
            Events = events,
        };
    }

    /// <summary>fio's reporting groups: a stonewall job starts a new group, which waits for the previous one.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Group(IReadOnlyList<JobSpec> jobs)
    {
        var groups = new List<List<int>>();
        for (int j = 0; j < jobs.Count; j++)
        {
            if (groups.Count == 0 || jobs[j].Stonewall)
                groups.Add([]);
            groups[^1].Add(j);
        }
        return groups;
    }

    /// <summary>When the run should end if every job is bounded by runtime (0 when some job runs until its size is done).</summary>
    private static long ExpectedEnd(long start, IReadOnlyList<JobSpec> jobs, IReadOnlyList<IReadOnlyList<int>> groups)
    {
        if (jobs.Any(job => job.RuntimeNs == 0))
            return 0;
        return start + groups.Sum(group => group.Max(j => jobs[j].StartDelayNs + jobs[j].RampTimeNs + jobs[j].RuntimeNs));
    }
}
