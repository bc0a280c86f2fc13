using System.CommandLine;
using Hardware.BlockLayer.Schedulers;
using Hardware.Cli.Study;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;
using Hardware.Emulator.Media;
using Spectre.Console;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack study`: the same workload on the same machine once per elevator, a comparison table, and out/study/ with
/// report.html, results.json and one blktrace file per run (docs/study.md).
/// </summary>
public static class StudyCommand
{
    private const int PlainWidth = 160;

    public static Command Create(TextWriter output)
    {
        var job = new Option<string?>("--job") { Description = "A fio job file to run instead of the built-in workload (see docs/study.md)" };
        var schedulers = new Option<string?>("--schedulers")
        {
            Description = "Elevators to compare, comma separated (default: none,mq-deadline,bfq,kyber,sstf,scan,c-scan,look,c-look); " +
                          "tunables as in mq-deadline:fifo_batch=1,read_expire=100ms",
        };
        var device = MachineCommandOptions.Device();
        var nrRequests = MachineCommandOptions.NrRequests();
        var seed = MachineCommandOptions.Seed();
        var outDir = new Option<string>("--out") { Description = "Folder for report.html, results.json and the blktrace files", DefaultValueFactory = _ => Path.Combine("out", "study") };
        var runtime = new Option<string?>("--runtime") { Description = "Virtual runtime of every job, in fio's time syntax (2s, 500ms); overrides the job file's" };
        Option<bool> noColor = Terminal.NoColorOption();
        var command = new Command("study", "Run a workload once per I/O scheduler on an emulated disk and compare them: table, HTML report with charts, results.json, blktrace files")
        {
            job,
            schedulers,
            device,
            nrRequests,
            seed,
            outDir,
            runtime,
            noColor,
        };
        command.SetAction(parse => Run(new StudyArguments(parse.GetValue(job), parse.GetValue(schedulers), parse.GetValue(device)!,
            parse.GetValue(seed), parse.GetValue(outDir)!, parse.GetValue(runtime), parse.GetValue(noColor), parse.GetValue(nrRequests)), output));
        return command;
    }

    public sealed record StudyArguments(string? JobFile, string? Schedulers, string Device, ulong Seed, string OutputDirectory, string? Runtime,
        bool NoColor = false, int? NrRequests = null);

    public static int Run(StudyArguments arguments, TextWriter output)
    {
        StudyOptions options = Options(arguments);
        IAnsiConsole console = Terminal.Create(output, arguments.NoColor);
        if (!console.Profile.Capabilities.Interactive)
            console.Profile.Width = PlainWidth; // a log or a pipe has no width to fit: keep each table row on one line
        console.WriteLine($"hwstack study: {options.Jobs.Count} jobs ({options.WorkloadSource}) on {options.Machine.Device}, " +
                          $"{options.Schedulers.Count} elevators, seed {options.Machine.Seed}");
        StudyResult study = console.Profile.Capabilities.Interactive
            ? RunWithProgressBar(console, options)
            : StudyRunner.Run(options, new PlainProgress(console, options.Schedulers.Count));
        ComparisonTable.Write(console, study.Runs);
        console.WriteLine($"wrote {Path.Combine(options.OutputDirectory!, "report.html")}, results.json and {study.Runs.Count} blktrace files " +
                          $"(blkparse -i {Path.Combine(options.OutputDirectory!, study.Runs[0].TraceFile![..^StudyRunner.TraceSuffix.Length])})");
        console.WriteLine($"wall time {study.WallSeconds:F2} s");
        return study.Runs.Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    public static StudyOptions Options(StudyArguments arguments)
    {
        if (!DeviceProfileJson.TryResolve(arguments.Device, out _, out string deviceError))
            throw new CliException(deviceError);
        if (MachineSpec.NrRequestsError(arguments.NrRequests) is { } nrRequestsError)
            throw new CliException(nrRequestsError);
        IReadOnlyList<string> schedulers = arguments.Schedulers is null ? DefaultStudy.Schedulers : ParseSchedulers(arguments.Schedulers);
        long? runtime = arguments.Runtime is null ? null : ParseRuntime(arguments.Runtime);
        IReadOnlyList<JobSpec> jobs = arguments.JobFile is null
            ? DefaultStudy.Jobs(runtime ?? DefaultStudy.RuntimeNs)
            : JobFileParser.ParseFile(arguments.JobFile).Select(j => runtime is { } r ? j with { RuntimeNs = r, TimeBased = true } : j).ToList();
        return new StudyOptions
        {
            Machine = DefaultStudy.Machine(arguments.Seed) with { Device = arguments.Device, NrRequests = arguments.NrRequests },
            Jobs = jobs,
            WorkloadSource = arguments.JobFile ?? DefaultStudy.WorkloadSource,
            Schedulers = schedulers,
            OutputDirectory = arguments.OutputDirectory,
        };
    }

    /// <summary>
    /// "none,mq-deadline:fifo_batch=1,read_expire=100ms,bfq": commas separate elevators and also an elevator's tunables,
    /// so a piece with '=' and no ':' (a tunable, never a name) continues the elevator before it.
    /// </summary>
    public static IReadOnlyList<string> ParseSchedulers(string list)
    {
        var specs = new List<string>();
        foreach (string piece in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (piece.Length == 0)
                throw new CliException($"--schedulers {list}: an empty name (known: {string.Join(", ", ElevatorRegistry.Names)})");
            if (piece.Contains('=') && !piece.Contains(':'))
            {
                if (specs.Count == 0)
                    throw new CliException($"--schedulers {list}: tunable '{piece}' before any scheduler");
                specs[^1] += "," + piece;
            }
            else
            {
                specs.Add(piece);
            }
        }
        foreach (string spec in specs)
            if (!ElevatorRegistry.TryCreate(spec, out _, out string error))
                throw new CliException($"--schedulers: {error}");
        return specs;
    }

    private static long ParseRuntime(string text)
    {
        long? ns = FioValues.ParseTime(text, 1_000_000_000, out string error);
        if (ns is not { } value)
            throw new CliException($"--runtime {text}: {error}");
        if (value <= 0)
            throw new CliException($"--runtime {text}: must be more than 0");
        return value;
    }

    private static StudyResult RunWithProgressBar(IAnsiConsole console, StudyOptions options)
    {
        StudyResult? study = null;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask[] tasks = options.Schedulers.Select(s => context.AddTask(Markup.Escape(s), autoStart: false, maxValue: 1)).ToArray();
                study = StudyRunner.Run(options, new BarProgress(tasks));
            });
        return study!;
    }

    private sealed class BarProgress(ProgressTask[] tasks) : IStudyProgress
    {
        private int _current;

        public void RunStarted(int index, string scheduler)
        {
            _current = index;
            tasks[index].StartTask();
            tasks[index].IsIndeterminate = true;
        }

        public void RunProgress(double? share)
        {
            tasks[_current].IsIndeterminate = share is null;
            if (share is { } value)
                tasks[_current].Value = value;
        }

        public void RunFinished(int index, RunMetrics run)
        {
            tasks[index].IsIndeterminate = false;
            tasks[index].Value = 1;
            tasks[index].StopTask();
        }
    }

    /// <summary>One line per finished run when the output is not a terminal (logs, CI, tests).</summary>
    private sealed class PlainProgress(IAnsiConsole console, int runs) : IStudyProgress
    {
        public void RunStarted(int index, string scheduler)
        {
        }

        public void RunProgress(double? share)
        {
        }

        public void RunFinished(int index, RunMetrics run) =>
            console.WriteLine($"[{index + 1}/{runs}] {run.Scheduler}: {run.VirtualSeconds:F2} s virtual, {run.WallSeconds:F2} s wall");
    }
}
