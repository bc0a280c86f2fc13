using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hardware.BlockLayer.Schedulers;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack schedulers`: the elevators by name, as /sys/block/X/queue/scheduler lists them, with the tunables
/// /sys/block/X/queue/iosched/ would show - unit, default and meaning. `--scheduler name:tunable=value` sets them.
/// </summary>
public static class SchedulersCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print [{\"name\", \"tunables\": [{\"name\", \"unit\", \"default\", \"description\"}]}] as JSON" };
        var command = new Command("schedulers", "List the I/O schedulers (elevators) with their tunables and defaults (see docs/schedulers.md)") { json };
        command.SetAction(parse =>
        {
            IReadOnlyList<(string Name, IReadOnlyList<ElevatorTunable> Tunables)> elevators = Describe();
            if (parse.GetValue(json))
                output.WriteLine(ToJson(elevators));
            else
                Print(output, elevators);
            return 0;
        });
        return command;
    }

    /// <summary>Every registered elevator, freshly made so its tunables show their defaults.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<ElevatorTunable> Tunables)> Describe() =>
        ElevatorRegistry.Names.Select(name =>
        {
            if (!ElevatorRegistry.TryCreate(name, out IElevator? elevator, out string error))
                throw new InvalidOperationException($"registered elevator cannot be made: {error}");
            return (name, elevator!.Tunables);
        }).ToList();

    private static string ToJson(IReadOnlyList<(string Name, IReadOnlyList<ElevatorTunable> Tunables)> elevators)
    {
        var array = new JsonArray();
        foreach ((string name, IReadOnlyList<ElevatorTunable> tunables) in elevators)
        {
            var list = new JsonArray();
            foreach (ElevatorTunable t in tunables)
            {
                list.Add(new JsonObject
                {
                    ["name"] = t.Name,
                    ["unit"] = t.Unit,
                    ["default"] = t.Default,
                    ["description"] = t.Description,
                });
            }
            array.Add(new JsonObject { ["name"] = name, ["tunables"] = list });
        }
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>One block per scheduler, a line per tunable: long meanings stay on one line instead of wrapping in a table cell.</summary>
    private static void Print(TextWriter output, IReadOnlyList<(string Name, IReadOnlyList<ElevatorTunable> Tunables)> elevators)
    {
        ElevatorTunable[] all = elevators.SelectMany(e => e.Tunables).ToArray();
        int nameWidth = all.Select(t => t.Name.Length).DefaultIfEmpty(0).Max();
        int defaultWidth = all.Select(t => WithUnit(t).Length).DefaultIfEmpty(0).Max();
        foreach ((string name, IReadOnlyList<ElevatorTunable> tunables) in elevators)
        {
            output.WriteLine(tunables.Count == 0 ? $"{name} (no tunables)" : name);
            foreach (ElevatorTunable t in tunables)
                output.WriteLine($"  {t.Name.PadRight(nameWidth)}  {WithUnit(t).PadLeft(defaultWidth)}  {t.Description}");
        }
        output.WriteLine();
        output.WriteLine("Values are the defaults. Set tunables with --scheduler NAME:TUNABLE=VALUE[,...], e.g. mq-deadline:fifo_batch=1,read_expire=100ms");
    }

    private static string WithUnit(ElevatorTunable tunable) => tunable.Unit.Length == 0 ? tunable.Default : $"{tunable.Default} {tunable.Unit}";
}
