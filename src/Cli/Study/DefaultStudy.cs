using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>
/// The study `hwstack study` runs with no arguments: a 7200 rpm disk on AHCI with NCQ over a sparse in-memory store,
/// ext2 freshly formatted, and a mix of jobs that pull an elevator in different directions (docs/study.md says why
/// each is there), run once per elevator.
/// </summary>
public static class DefaultStudy
{
    public const string WorkloadSource = "built-in default workload (docs/study.md)";

    /// <summary>The jobs' virtual runtime; short enough that nine runs take seconds of wall time.</summary>
    public const long RuntimeNs = 2_000_000_000;

    private const long GiB = 1L << 30;

    public static MachineSpec Machine(ulong seed) => new()
    {
        Device = "hdd-7200",
        FileSystem = FileSystemKind.Ext2,
        CapacityBytes = 16 * GiB,
        Seed = seed,
    };

    /// <summary>The built-in elevators, Linux's first (plug-ins registered at run time are studied only when named).</summary>
    public static IReadOnlyList<string> Schedulers { get; } = ["none", "mq-deadline", "bfq", "kyber", "sstf", "scan", "c-scan", "look", "c-look"];

    public static IReadOnlyList<JobSpec> Jobs(long runtimeNs = RuntimeNs)
    {
        var jobs = new List<JobSpec>();
        // Four synchronous random readers, each in its own quarter of the disk: seeky, one request at a time, the
        // load SSTF and LOOK can starve and BFQ idles for.
        for (int i = 0; i < 4; i++)
        {
            jobs.Add(new JobSpec
            {
                Name = $"reader-{i + 1}",
                Pattern = IoPattern.RandRead,
                FileName = "/dev/sda",
                Offset = i * 4 * GiB,
                Size = 4 * GiB,
                Direct = true,
                RuntimeNs = runtimeNs,
                TimeBased = true,
                RandomRepeat = false, // randrepeat=0: --seed picks the offsets
                Origin = WorkloadSource,
            });
        }
        // A sequential streamer: cheap for the disk when served in a row, the job a throughput-minded elevator favours.
        jobs.Add(new JobSpec
        {
            Name = "streamer",
            Pattern = IoPattern.Read,
            BlockSizes = [new BlockSizeShare(128 * 1024, 100)],
            FileName = "/dev/sda",
            Offset = 6 * GiB,
            Size = 2 * GiB,
            Direct = true,
            RuntimeNs = runtimeNs,
            TimeBased = true,
            Origin = WorkloadSource,
        });
        // A writer on ext2 that fsyncs: bursts of writes (and a cache flush) that reads have to get past.
        jobs.Add(new JobSpec
        {
            Name = "writer",
            Pattern = IoPattern.Write,
            BlockSizes = [new BlockSizeShare(64 * 1024, 100)],
            FileName = "/writer.dat",
            Size = 256L << 20,
            FsyncEvery = 32,
            RuntimeNs = runtimeNs,
            TimeBased = true,
            Origin = WorkloadSource,
        });
        return jobs;
    }
}
