using System.CommandLine;
using System.Globalization;
using Hardware.Cli.Commands.Jobs;
using Hardware.Cli.Replay;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack replay TRACE`: replays a blkparse text trace or an MSR Cambridge CSV on the emulated machine's raw disk,
/// open loop at the trace's times or closed loop at a depth, and reports like `hwstack run`. Exit status 0, 1 when an
/// I/O failed, 2 for a bad argument or trace line.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(TextWriter output)
    {
        var trace = new Argument<string>("TRACE") { Description = "A blkparse text trace (blkparse -i NAME > trace.txt) or an MSR Cambridge CSV (see docs/trace-formats.md)" };
        var format = new Option<string>("--format") { Description = "auto (from the first line), blkparse or msr", DefaultValueFactory = _ => "auto" }
            .OneOf("auto", "blkparse", "msr");
        var mode = new Option<string>("--mode")
        {
            Description = "open: each I/O at its trace time; closed: --depth I/Os in flight, the next as one completes",
            DefaultValueFactory = _ => "open",
        }.OneOf("open", "closed");
        var depth = new Option<int?>("--depth") { Description = "closed loop: I/Os in flight (default 1); open loop: a cap on them (default none)" };
        var speed = new Option<double>("--speed") { Description = "How fast the trace's clock runs in open loop (2: twice as fast)", DefaultValueFactory = _ => 1 };
        var device = MachineCommandOptions.Device();
        var scheduler = MachineCommandOptions.Scheduler();
        var nrRequests = MachineCommandOptions.NrRequests();
        var seed = MachineCommandOptions.Seed("Seed of the machine's random streams and the written data");
        var blktrace = new Option<string?>("--trace") { Description = "Write the disk's block-layer events to FILE as a blktrace file (blkparse -i FILE)" };
        var outputFormat = new Option<string>("--output-format")
        {
            Description = "normal (fio's text) or json (fio's JSON field names plus an hwstack object)",
            DefaultValueFactory = _ => "normal",
        }.OneOf("normal", "json");
        var command = new Command("replay", "Replay a blkparse or MSR Cambridge trace on the emulated machine's disk, open or closed loop, and report like fio")
        {
            trace, format, mode, depth, speed, device, scheduler, nrRequests, seed, blktrace, outputFormat,
        };
        command.SetAction(parse =>
        {
            var machine = new MachineSpec
            {
                Device = parse.GetValue(device)!,
                Scheduler = parse.GetValue(scheduler)!,
                NrRequests = parse.GetValue(nrRequests),
                Seed = parse.GetValue(seed),
            };
            ReplayMode replayMode = parse.GetValue(mode) == "closed" ? ReplayMode.Closed : ReplayMode.Open;
            TraceFormat traceFormat = parse.GetValue(format) switch
            {
                "blkparse" => TraceFormat.Blkparse,
                "msr" => TraceFormat.Msr,
                _ => TraceFormat.Auto,
            };
            ReplayOptions options = Options(parse.GetValue(trace)!, replayMode, parse.GetValue(depth), parse.GetValue(speed));
            return Execute(parse.GetValue(trace)!, traceFormat, options, machine, parse.GetValue(blktrace), parse.GetValue(outputFormat) == "json", output);
        });
        return command;
    }

    public static ReplayOptions Options(string tracePath, ReplayMode mode, int? depth, double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--speed {speed}: must be a positive number"));
        if (mode == ReplayMode.Closed && depth is < 1)
            throw new CliException($"--depth {depth}: closed loop keeps at least 1 I/O in flight");
        if (mode == ReplayMode.Open && depth is < 0)
            throw new CliException($"--depth {depth}: an open loop's cap is 0 (none) or more");
        if (mode == ReplayMode.Closed && speed != 1)
            throw new CliException("--speed applies to open loop only (a closed loop ignores the trace's times)");
        return new ReplayOptions
        {
            Mode = mode,
            Depth = depth ?? (mode == ReplayMode.Closed ? 1 : 0),
            Speed = speed,
            Name = Path.GetFileName(tracePath),
        };
    }

    public static int Execute(string tracePath, TraceFormat format, ReplayOptions options, MachineSpec machine, string? blktracePath, bool json, TextWriter output)
    {
        if (Directory.Exists(tracePath))
            throw new CliException($"{tracePath}: Is a directory, not a trace file");
        if (!File.Exists(tracePath))
            throw new CliException($"{tracePath}: No such trace file");
        IReadOnlyList<TraceIo> ios = TraceReader.ReadFile(tracePath, format);
        ReplayResult result;
        if (blktracePath is null)
        {
            result = ReplayRunner.Run(machine, ios, options);
        }
        else
        {
            using TraceFileObserver observer = TraceFileObserver.Create(blktracePath);
            result = ReplayRunner.Run(machine, ios, options, observer);
            observer.Finish();
        }
        output.Write(json ? ReplayReport.Json(result, machine) + Environment.NewLine : ReplayReport.Text(result));
        return result.Workload.Jobs.Any(j => j.Errors > 0) ? 1 : 0;
    }
}
