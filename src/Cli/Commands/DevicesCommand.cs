using System.CommandLine;
using System.Globalization;
using Hardware.Emulator.Media;
using Spectre.Console;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack devices`: the device presets with the figures their models run on, one table per kind of medium;
/// `--json` prints the catalog entries, any one of which saved to a file is itself a device file.
/// </summary>
public static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON (one entry saved to a file works as --device FILE.json)" };
        Option<bool> noColor = Terminal.NoColorOption();
        var command = new Command("devices", "List the device presets and their parameters (see docs/device-models.md)") { json, noColor };
        command.SetAction(parse =>
        {
            IReadOnlyList<DeviceCatalogEntry> entries = DeviceCatalog.DescribeAll();
            if (parse.GetValue(json))
                output.WriteLine(DeviceCatalog.ToJson(entries));
            else
                Print(Terminal.Create(output, parse.GetValue(noColor)), entries);
            return 0;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, IReadOnlyList<DeviceCatalogEntry> entries)
    {
        DeviceCatalogEntry[] disks = entries.Where(e => e.Rpm is not null).ToArray();
        DeviceCatalogEntry[] flash = entries.Where(e => e.Channels is not null).ToArray();
        DeviceCatalogEntry[] ram = entries.Where(e => e.LatencyUs is not null).ToArray();
        if (disks.Length > 0)
        {
            Table table = Columns("Disks", "name", "capacity", "rpm", "seek ms", "MB/s", "cache", "NCQ");
            foreach (DeviceCatalogEntry d in disks)
            {
                table.AddRow(d.Name, Size(d.CapacityBytes), $"{d.Rpm}",
                    $"{Num(d.AvgSeekMs)}/{Num(d.TrackToTrackMs)}/{Num(d.FullStrokeMs)}",
                    $"{Num(d.SustainedMBps)}-{Num(d.SustainedInnerMBps)}", Size(d.CacheBytes), Ncq(d));
            }
            console.WriteTable(table);
        }
        if (flash.Length > 0)
        {
            Table table = Columns("Flash", "name", "capacity", "chan x die", "page us", "ctl us", "cache", "NCQ");
            foreach (DeviceCatalogEntry s in flash)
            {
                table.AddRow(s.Name, Size(s.CapacityBytes), $"{s.Channels}x{s.DiesPerChannel}", $"{Num(s.ReadUs)}/{Num(s.ProgramUs)}",
                    $"{Num(s.ControllerReadUs)}/{Num(s.ControllerWriteUs)}", Size(s.CacheBytes), Ncq(s));
            }
            console.WriteTable(table);
        }
        if (ram.Length > 0)
        {
            Table table = Columns("RAM", "name", "capacity", "latency us", "bandwidth MB/s", "NCQ");
            foreach (DeviceCatalogEntry r in ram)
                table.AddRow(r.Name, Size(r.CapacityBytes), Num(r.LatencyUs), r.BandwidthMBps == 0 ? "unlimited" : Num(r.BandwidthMBps), Ncq(r));
            console.WriteTable(table);
        }
        console.WriteLine("seek ms: average/track-to-track/full stroke; MB/s: sustained, outer-inner zone");
        console.WriteLine("page us: read/program; ctl us: controller time per read/write command");
        console.WriteLine("Every figure and its source: hwstack devices --json, docs/device-models.md");
    }

    private static Table Columns(string title, params string[] names)
    {
        var table = new Table().Title(title);
        table.AddColumn(new TableColumn(names[0]).NoWrap());
        foreach (string name in names.Skip(1))
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned().NoWrap());
        return table;
    }

    private static string Ncq(DeviceCatalogEntry entry) => entry.NcqDepth == 0 ? "off" : $"{entry.NcqDepth}";

    private static string Num(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Binary units for caches and RAM disks, decimal GB for drives sold that way (IDEMA capacities).</summary>
    private static string Size(long bytes) => bytes switch
    {
        0 => "0",
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1_000_000_000 => $"{bytes / 1e9:0.#} GB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        _ => $"{bytes / 1024.0:0.#} KiB",
    };
}
