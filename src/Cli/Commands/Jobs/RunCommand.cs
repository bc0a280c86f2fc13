using System.CommandLine;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Commands.Jobs;

/// <summary>
/// `hwstack run JOBFILE|DIRECTORY`: runs fio job files on the emulated machine in virtual time and reports as fio does
/// (normal text or --output-format=json); a directory runs each *.fio file in it on a fresh machine and prints one
/// table. Exit status 0, 1 when a job's I/O failed, 2 for a bad argument or job file.
/// </summary>
public static class RunCommand
{
    public static Command Create(TextWriter output)
    {
        var target = new Argument<string>("JOBFILE|DIRECTORY") { Description = "A fio job file, or a folder whose *.fio files run as a suite" };
        var device = MachineCommandOptions.Device();
        var scheduler = MachineCommandOptions.Scheduler();
        var nrRequests = MachineCommandOptions.NrRequests();
        var fileSystem = new Option<string>("--fs")
        {
            Description = "Filesystem mounted for the jobs' files: ext2 (made fresh unless --image holds one), ramfs or none (raw /dev targets only)",
            DefaultValueFactory = _ => "none",
        };
        var image = new Option<string?>("--image") { Description = "A raw image file as the drive's medium (default: a sparse in-memory 16 GiB disk)" };
        var seed = MachineCommandOptions.Seed("Seed of the machine's random streams; the same seed gives the same numbers");
        var trace = new Option<string?>("--trace") { Description = "Write the disk's block-layer events to FILE as a blktrace file (blkparse -i FILE)" };
        var format = new Option<string>("--output-format")
        {
            Description = "normal (fio's text) or json (fio's JSON field names plus an hwstack object)",
            DefaultValueFactory = _ => "normal",
        };
        Option<bool> noColor = Terminal.NoColorOption();
        var command = new Command("run", "Run fio job files against the emulated machine in virtual time and report like fio")
        {
            target, device, scheduler, nrRequests, fileSystem, image, seed, trace, format, noColor,
        };
        command.SetAction(parse =>
        {
            var machine = new MachineSpec
            {
                Device = parse.GetValue(device)!,
                Scheduler = parse.GetValue(scheduler)!,
                NrRequests = parse.GetValue(nrRequests),
                FileSystem = ParseFileSystem(parse.GetValue(fileSystem)!),
                ImagePath = parse.GetValue(image),
                Seed = parse.GetValue(seed),
            };
            bool json = ParseFormat(parse.GetValue(format)!);
            return Execute(parse.GetValue(target)!, machine, parse.GetValue(trace), json, parse.GetValue(noColor), output);
        });
        return command;
    }

    public static int Execute(string target, MachineSpec machine, string? tracePath, bool json, bool noColor, TextWriter output)
    {
        if (Directory.Exists(target))
        {
            if (tracePath is not null)
                throw new CliException("--trace takes a single job file, not a folder");
            return RunSuite.Execute(target, machine, json, noColor, output);
        }
        if (!System.IO.File.Exists(target))
            throw new CliException($"{target}: No such job file or folder");
        IReadOnlyList<JobSpec> jobs = JobFileParser.ParseFile(target);
        WorkloadResult result;
        if (tracePath is null)
        {
            result = WorkloadRunner.Run(machine, jobs);
        }
        else
        {
            using TraceFileObserver observer = TraceFileObserver.Create(tracePath);
            result = WorkloadRunner.Run(machine, jobs, observer);
            observer.Finish();
        }
        FioLogFile.WriteAll(result.Logs);
        output.Write(json ? FioJsonWriter.Write(result, machine) + Environment.NewLine : FioTextWriter.Write(result));
        return result.Jobs.Any(j => j.Errors > 0) ? 1 : 0;
    }

    public static FileSystemKind ParseFileSystem(string text) => text switch
    {
        "ext2" => FileSystemKind.Ext2,
        "ramfs" => FileSystemKind.RamFs,
        "none" => FileSystemKind.None,
        _ => throw new CliException($"--fs {text}: must be ext2, ramfs or none"),
    };

    private static bool ParseFormat(string text) => text switch
    {
        "json" => true,
        "normal" => false,
        _ => throw new CliException($"--output-format {text}: must be normal or json"),
    };
}
