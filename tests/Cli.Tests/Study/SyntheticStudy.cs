using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Study;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Tests.Study;

/// <summary>A small study made of hand-built traces and completions, for the report writers' tests.</summary>
internal static class SyntheticStudy
{
    public const long CapacitySectors = 1_000_000;

    public static readonly JobSpec[] Jobs =
    [
        new() { Name = "reader", Pattern = IoPattern.RandRead, IoDepth = 4, Engine = IoEngineKind.Async, EngineName = "libaio" },
        new() { Name = "writer <&>", Pattern = IoPattern.Write, BlockSizes = [new BlockSizeShare(128 * 1024, 100)], FsyncEvery = 8 },
    ];

    public static StudyResult Create(params string[] schedulers)
    {
        var runs = schedulers.Select((scheduler, index) => Run(scheduler, index + 1)).ToList();
        var setup = new StudySetup
        {
            Machine = new MachineSpec { FileSystem = FileSystemKind.Ext2, Seed = 7 },
            DeviceSummary = "hdd-7200: a synthetic disk",
            CapacitySectors = CapacitySectors,
            Schedulers = schedulers,
            Jobs = Jobs,
            WorkloadSource = "built-in default workload",
            BucketNs = 10_000_000,
        };
        return new StudyResult(setup, runs, 1.25);
    }

    private static RunMetrics Run(string scheduler, int spread)
    {
        var trace = new List<BlockTraceEvent>();
        var completions = new List<IoCompletion>();
        for (int i = 0; i < 50; i++)
        {
            long t = i * 2_000_000L;
            long sector = i * 7919L * spread % CapacitySectors;
            trace.Add(new BlockTraceEvent(t, BlockTraceAction.Issue, BioOp.Read, BioFlags.Sync, sector, 4096, 1, 8 << 20));
            trace.Add(new BlockTraceEvent(t + 1_500_000, BlockTraceAction.Complete, BioOp.Read, BioFlags.Sync, sector, 4096, 1, 8 << 20));
            completions.Add(new IoCompletion("reader", true, 4096, t, t + 1_500_000L * spread));
            if (i % 5 == 0)
                completions.Add(new IoCompletion("writer <&>", false, 128 * 1024, t, t + 300_000));
        }
        return RunMetrics.Compute(scheduler, completions, trace.ToArray(), ["reader", "writer <&>"], 10_000_000, CapacitySectors) with
        {
            VirtualSeconds = 0.1,
            WallSeconds = 0.05 * spread,
            Events = 1000 * spread,
            TraceFile = $"{scheduler}.blktrace.0",
        };
    }
}
