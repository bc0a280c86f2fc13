using System.CommandLine;
using System.Diagnostics;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Disks;
using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.BlockLayer.Schedulers;
using Hardware.Cli.Boot;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Media;
using Spectre.Console;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack boot`: builds the emulated machine, lets the AHCI driver probe it, prints what IDENTIFY DEVICE says
/// and runs a short I/O pattern against the drive, all in virtual time.
/// </summary>
public static class BootCommand
{
    public static Command Create(TextWriter output)
    {
        var device = MachineCommandOptions.Device();
        var scheduler = MachineCommandOptions.Scheduler();
        var seed = MachineCommandOptions.Seed();
        Option<bool> noColor = Terminal.NoColorOption();
        var command = new Command("boot", "Boot the emulated machine, print the drive's IDENTIFY summary and run a short timed I/O pattern")
        {
            device,
            scheduler,
            seed,
        };
        command.Options.Add(noColor);
        command.SetAction(parse => Run(parse.GetValue(device)!, parse.GetValue(scheduler)!, parse.GetValue(seed), output, parse.GetValue(noColor)));
        return command;
    }

    public static int Run(string deviceName, string scheduler, ulong seed, TextWriter output, bool noColor = false)
    {
        if (!DeviceProfileJson.TryResolve(deviceName, out DeviceProfile? profile, out string error))
            throw new CliException(error);
        if (!ElevatorRegistry.TryCreate(scheduler, out _, out string schedulerError))
            throw new CliException(schedulerError);

        var wall = Stopwatch.StartNew();
        using var machine = new EmulatedMachine(new MachineOptions { Seed = seed, Drives = [new DriveSpec(profile!)] });
        var simulation = machine.Simulation;
        Task<(DiskProbe Probe, IReadOnlyList<BootPatternResult> Results)> boot = simulation.Spawn(async () =>
        {
            DiskProbe probe = await DiskProbe.ProbeAsync(machine.Platform, new DiskProbeOptions { Scheduler = scheduler });
            if (probe.Disks.Count == 0)
                return (probe, (IReadOnlyList<BootPatternResult>)[]);
            IReadOnlyList<BootPatternResult> results = await new BootWorkload(machine.Platform, probe.Disks[0]).RunAsync();
            return (probe, results);
        });
        var (disks, patterns) = simulation.RunUntilComplete(boot);
        wall.Stop();

        if (disks.Host is not { } hostDriver)
            throw new CliException("boot: no AHCI controller found on the PCI bus", 1);
        if (hostDriver.Disks.Count == 0)
            throw new CliException($"boot: the AHCI controller at {hostDriver.PciAddress} has no disk that answered IDENTIFY", 1);

        IAnsiConsole console = Terminal.Create(output, noColor);
        PrintIdentify(console, hostDriver, hostDriver.Disks[0], profile!, disks.Disks[0]);
        PrintPatterns(console, patterns);
        console.WriteLine($"virtual time {simulation.Now / 1e9:F3} s, {simulation.EventsFired:N0} events, wall time {wall.Elapsed.TotalSeconds:F2} s");
        return patterns.Sum(p => p.Errors) == 0 ? 0 : 1;
    }

    private static void PrintIdentify(IAnsiConsole console, AhciHostDriver host, AhciPortDriver disk, DeviceProfile profile, BlockDevice block)
    {
        IdentifyDeviceData id = disk.Identify!;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string value) => grid.AddRow(new Text(key), new Text(value));
        Row("controller", $"AHCI at PCI {host.PciAddress}, ABAR 0x{host.Abar:x}, {(host.UsesMsi ? "MSI" : "INTx")} vector {host.InterruptVector}");
        Row("port", $"{disk.Port} -> /dev/{block.Name} ({block.Major}:{block.Minor}), scheduler {block.Queue.Elevator.Name}");
        Row("preset", $"{profile.Name}: {FirstSentence(profile.Description)}");
        Row("model", id.Model);
        Row("serial", id.Serial);
        Row("firmware", id.Firmware);
        Row("capacity", $"{id.CapacitySectors:N0} sectors ({id.CapacitySectors * id.LogicalSectorSize / 1e9:F1} GB)");
        Row("sector size", $"{id.LogicalSectorSize} logical / {id.PhysicalSectorSize} physical");
        Row("rotation", id.NominalRotationRate == 1 ? "non-rotating (solid state)" : $"{id.NominalRotationRate} rpm");
        Row("queueing", id.QueueDepth > 0 ? $"NCQ, depth {id.QueueDepth}" : "no NCQ");
        Row("features", string.Join(", ", Features(id)));
        console.Write(new Panel(grid).Header("IDENTIFY DEVICE"));
    }

    private static string FirstSentence(string text)
    {
        int end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }

    private static IEnumerable<string> Features(IdentifyDeviceData id)
    {
        if (id.WriteCacheSupported)
            yield return id.WriteCacheEnabled ? "write cache on" : "write cache off";
        if (id.ReadLookAheadSupported)
            yield return id.ReadLookAheadEnabled ? "look-ahead on" : "look-ahead off";
        if (id.TrimSupported)
            yield return "TRIM";
        yield return $"SATA {id.MaxGeneration}" + (id.CurrentGeneration is { } current ? $" (link at {current})" : "");
    }

    private static void PrintPatterns(IAnsiConsole console, IReadOnlyList<BootPatternResult> patterns)
    {
        var table = new Table().Title("I/O pattern (virtual time)")
            .AddColumn("pattern").AddColumn(new TableColumn("QD").RightAligned())
            .AddColumn(new TableColumn("I/Os").RightAligned()).AddColumn(new TableColumn("IOPS").RightAligned())
            .AddColumn(new TableColumn("MB/s").RightAligned()).AddColumn(new TableColumn("mean ms").RightAligned())
            .AddColumn(new TableColumn("max ms").RightAligned()).AddColumn(new TableColumn("errors").RightAligned());
        foreach (BootPatternResult p in patterns)
        {
            table.AddRow(p.Name, p.QueueDepth.ToString(), p.Ios.ToString("N0"), p.Iops.ToString("N0"), p.MegabytesPerSecond.ToString("F1"),
                (p.MeanLatencyNs / 1e6).ToString("F3"), (p.MaxLatencyNs / 1e6).ToString("F3"), p.Errors.ToString());
        }
        console.WriteTable(table);
        console.WriteLine("Random LBAs are 4 KiB aligned over the whole disk; the write pattern ends with FLUSH CACHE EXT.");
    }
}
