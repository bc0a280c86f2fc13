using System.Diagnostics;
using Hardware.BlockLayer.Tracing;
using Hardware.Cli.Commands;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;
using Hardware.Emulator.Media;

namespace Hardware.Cli.Study;

/// <summary>
/// Runs the same jobs on the same machine and seed once per elevator (<see cref="WorkloadRunner"/> boots a fresh
/// machine each time, so no run inherits another's cache or disk layout), computes each run's
/// <see cref="RunMetrics"/> and, when an output folder is given, writes a blktrace file per run there.
/// </summary>
public static class StudyRunner
{
    public const string TraceSuffix = ".blktrace.0";

    public static StudyResult Run(StudyOptions options, IStudyProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Schedulers.Count == 0)
            throw new CliException("--schedulers: no scheduler named");
        if (!DeviceProfileJson.TryResolve(options.Machine.Device, out DeviceProfile? profile, out string deviceError))
            throw new CliException(deviceError);
        long capacitySectors = CapacityBytes(options.Machine) / profile!.LogicalSectorSize;
        long bucketNs = BucketWidth(options.Jobs, options.ThroughputBuckets);
        string[] jobOrder = options.Jobs.Select(j => j.Name).Distinct(StringComparer.Ordinal).ToArray();
        string[] traceNames = TraceNames(options.Schedulers);
        if (options.OutputDirectory is { } directory)
            CreateDirectory(directory);

        var wall = Stopwatch.StartNew();
        var memory = new MemoryTracer(options.TraceCapacity);
        var runs = new List<RunMetrics>();
        for (int i = 0; i < options.Schedulers.Count; i++)
        {
            string scheduler = options.Schedulers[i];
            progress?.RunStarted(i, scheduler);
            memory.Clear();
            BlktraceWriter? file = OpenTrace(options.OutputDirectory, traceNames[i]);
            WorkloadResult result;
            var observer = new StudyObserver(memory, file, share => progress?.RunProgress(share));
            try
            {
                result = WorkloadRunner.Run(options.Machine with { Scheduler = scheduler }, options.Jobs, observer);
            }
            finally
            {
                file?.Dispose();
            }
            if (file?.Error is { } traceError)
                throw new CliException(traceError.Message, 1);
            // fio's logs of each run go beside its trace, named after the scheduler, so no run overwrites another's.
            if (options.OutputDirectory is { } logDirectory)
            {
                string prefix = traceNames[i];
                FioLogFile.WriteAll(result.Logs, path => Path.Combine(logDirectory, $"{prefix}.{Path.GetFileName(path)}"));
            }

            RunMetrics run = RunMetrics.Compute(scheduler, observer.Completions, memory.ToArray(), jobOrder, bucketNs, capacitySectors) with
            {
                VirtualSeconds = result.VirtualSeconds,
                WallSeconds = result.WallSeconds,
                Events = result.Events,
                Errors = result.Jobs.Sum(j => j.Errors),
                FirstError = result.Jobs.Select(j => j.FirstError).FirstOrDefault(e => e is not null),
                TraceFile = file is null ? null : traceNames[i] + TraceSuffix,
                TraceEventsLost = memory.Overwritten,
            };
            runs.Add(run);
            progress?.RunFinished(i, run);
        }
        wall.Stop();

        var setup = new StudySetup
        {
            Machine = options.Machine,
            DeviceSummary = Describe(profile),
            CapacitySectors = capacitySectors,
            Schedulers = options.Schedulers,
            Jobs = options.Jobs,
            WorkloadSource = options.WorkloadSource,
            BucketNs = bucketNs,
        };
        var study = new StudyResult(setup, runs, wall.Elapsed.TotalSeconds);
        if (options.OutputDirectory is { } outDir)
        {
            Write(Path.Combine(outDir, "report.html"), HtmlReport.Write(study));
            Write(Path.Combine(outDir, "results.json"), ResultsJson.Write(study));
        }
        return study;
    }

    /// <summary>The blktrace name of each run: the elevator spec with anything but letters, digits, '-' and '.' as '_', made unique.</summary>
    public static string[] TraceNames(IReadOnlyList<string> schedulers)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[schedulers.Count];
        for (int i = 0; i < schedulers.Count; i++)
        {
            string name = new(schedulers[i].Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
            string unique = name;
            for (int n = 2; !used.Add(unique); n++)
                unique = $"{name}-{n}";
            names[i] = unique;
        }
        return names;
    }

    private static long CapacityBytes(MachineSpec machine)
    {
        if (machine.ImagePath is null)
            return machine.CapacityBytes;
        try
        {
            return new FileInfo(machine.ImagePath).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--image {machine.ImagePath}: {e.Message}");
        }
    }

    /// <summary>The longest job's runtime over the bucket count (10 ms buckets when some job is bounded by size instead).</summary>
    private static long BucketWidth(IReadOnlyList<JobSpec> jobs, int buckets)
    {
        long longest = jobs.Max(j => j.StartDelayNs + j.RuntimeNs);
        return longest > 0 && jobs.All(j => j.RuntimeNs > 0) ? Math.Max(1, longest / buckets) : 10_000_000;
    }

    private static string Describe(DeviceProfile profile)
    {
        string kind = profile.Hdd is { } hdd ? $"{profile.Kind}, {hdd.Rpm} rpm" : profile.Kind;
        return $"{profile.Name} ({kind}, NCQ depth {profile.NcqDepth})";
    }

    private static BlktraceWriter? OpenTrace(string? directory, string name)
    {
        if (directory is null)
            return null;
        if (!BlktraceWriter.TryCreate(directory, name, out BlktraceWriter? writer, out var error))
            throw new CliException(error.Message, 1);
        return writer;
    }

    private static void CreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"--out {directory}: cannot create the folder: {e.Message}", 1);
        }
    }

    private static void Write(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: {e.Message}", 1);
        }
    }
}
