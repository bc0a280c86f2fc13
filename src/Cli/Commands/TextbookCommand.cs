using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hardware.BlockLayer.Schedulers;
using Hardware.Cli.Textbook;

namespace Hardware.Cli.Commands;

/// <summary>
/// `hwstack textbook`: the classroom disk-scheduling exercise run through the block layer's own elevators - the
/// service order and total head movement per algorithm, and the classic head-movement chart as SVG.
/// </summary>
public static class TextbookCommand
{
    public static Command Create(TextWriter output)
    {
        TextbookProblem example = TextbookProblem.Silberschatz;
        var head = new Option<int>("--head") { Description = "Cylinder the head starts on", DefaultValueFactory = _ => example.Head };
        var cylinders = new Option<int>("--cylinders") { Description = "Cylinders of the disk (numbered from 0)", DefaultValueFactory = _ => example.Cylinders };
        var requests = new Option<string>("--requests")
        {
            Description = "Comma-separated cylinder requests, all queued before the first dispatch",
            DefaultValueFactory = _ => string.Join(',', example.Requests),
        };
        var direction = new Option<string>("--direction")
        {
            Description = "Sweep direction of scan, c-scan, look and c-look: down (toward cylinder 0) or up",
            DefaultValueFactory = _ => "down",
        };
        direction.OneOf("down", "up");
        var algorithms = new Option<string>("--algorithms")
        {
            Description = $"Comma-separated algorithms ({string.Join(", ", TextbookAlgorithm.All.Select(a => a.Name))})",
            DefaultValueFactory = _ => string.Join(',', TextbookAlgorithm.All.Select(a => a.Name)),
        };
        var returnSweep = new Option<string>("--return-sweep")
        {
            Description = "Whether the return sweep of c-scan and c-look counts as head movement: counted or uncounted",
            DefaultValueFactory = _ => "counted",
        };
        returnSweep.OneOf("counted", "uncounted");
        var json = new Option<bool>("--json") { Description = "Print [{\"algorithm\", \"order\", \"headMovement\"}, ...] as JSON" };
        var svg = new Option<string?>("--svg") { Description = "Write the head-movement chart to this SVG file" };
        var command = new Command("textbook", "Run the classic disk-scheduling exercise (FCFS, SSTF, SCAN, C-SCAN, LOOK, C-LOOK) through the block layer's elevators")
        {
            head, cylinders, requests, direction, algorithms, returnSweep, json, svg,
        };
        command.SetAction(parse =>
        {
            var problem = new TextbookProblem(
                parse.GetValue(cylinders),
                parse.GetValue(head),
                ParseRequests(parse.GetValue(requests)!),
                parse.GetValue(direction) == "up" ? SweepDirection.Up : SweepDirection.Down,
                parse.GetValue(returnSweep) == "counted");
            return Run(problem, ParseAlgorithms(parse.GetValue(algorithms)!), parse.GetValue(json), parse.GetValue(svg), output);
        });
        return command;
    }

    public static int Run(TextbookProblem problem, IReadOnlyList<TextbookAlgorithm> algorithms, bool json, string? svgPath, TextWriter output)
    {
        if (problem.Validate() is { } invalid)
            throw new CliException($"textbook: {invalid}");
        TextbookResult[] results = algorithms.Select(a => TextbookRunner.Run(problem, a)).ToArray();
        if (svgPath is not null)
        {
            try
            {
                File.WriteAllText(svgPath, HeadMovementChart.Render(problem, results));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"textbook: cannot write {svgPath}: {e.Message}");
            }
        }
        if (json)
            output.WriteLine(ToJson(results));
        else
            PrintText(problem, results, svgPath, output);
        return 0;
    }

    public static string ToJson(IEnumerable<TextbookResult> results)
    {
        var array = new JsonArray();
        foreach (TextbookResult result in results)
        {
            array.Add(new JsonObject
            {
                ["algorithm"] = result.Algorithm.Name,
                ["order"] = new JsonArray(result.Order.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["headMovement"] = result.HeadMovement,
            });
        }
        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static IReadOnlyList<int> ParseRequests(string text)
    {
        var cylinders = new List<int>();
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int cylinder))
                throw new CliException($"textbook: --requests: item {i + 1} '{item}' is not a cylinder number");
            cylinders.Add(cylinder);
        }
        return cylinders;
    }

    private static IReadOnlyList<TextbookAlgorithm> ParseAlgorithms(string text)
    {
        var chosen = new List<TextbookAlgorithm>();
        foreach (string name in text.Split(','))
        {
            if (!TextbookAlgorithm.TryGet(name, out TextbookAlgorithm? algorithm))
                throw new CliException($"textbook: unknown algorithm '{name.Trim()}'; known: {string.Join(", ", TextbookAlgorithm.All.Select(a => a.Name))}");
            if (!chosen.Contains(algorithm!))
                chosen.Add(algorithm!);
        }
        return chosen;
    }

    private static void PrintText(TextbookProblem problem, IReadOnlyList<TextbookResult> results, string? svgPath, TextWriter output)
    {
        string toward = problem.Direction == SweepDirection.Down ? "down, toward cylinder 0" : $"up, toward cylinder {problem.Cylinders - 1}";
        output.WriteLine($"disk: cylinders 0-{problem.Cylinders - 1}, head at {problem.Head}, sweep {toward}");
        output.WriteLine($"queue: {string.Join(", ", problem.Requests)}");
        output.WriteLine();
        string[] header = ["algorithm", "elevator", "head movement", "service order"];
        string[][] rows = results.Select(r => new[]
        {
            r.Algorithm.Name.ToUpperInvariant(), r.Algorithm.ElevatorName, r.HeadMovement.ToString(CultureInfo.InvariantCulture),
            string.Join(' ', r.Order),
        }).ToArray();
        int[] widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == 2 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (string[] row in rows)
            output.WriteLine(Line(row));
        output.WriteLine();
        output.WriteLine("head movement is in cylinders, from the start to the last request served.");
        foreach (TextbookResult result in results)
        {
            if (Convention(problem, result) is { } note)
                output.WriteLine($"{result.Algorithm.Name}: {note}");
        }
        if (svgPath is not null)
            output.WriteLine($"chart: {svgPath}");
    }

    /// <summary>What the total includes beyond the moves between requests: edge trips and return sweeps.</summary>
    private static string? Convention(TextbookProblem problem, TextbookResult result)
    {
        TextbookAlgorithm algorithm = result.Algorithm;
        if (!algorithm.HasDirection)
            return null;
        int edge = problem.Direction == SweepDirection.Down ? 0 : problem.Cylinders - 1;
        int other = problem.Cylinders - 1 - edge;
        string counted = result.ReturnCounted ? "counted" : "not counted (--return-sweep uncounted)";
        return (algorithm.TravelsToEdge, algorithm.Circular) switch
        {
            (true, false) => $"travels on to the disk edge (cylinder {edge}) before reversing; the trip to the edge is counted",
            (true, true) => $"travels on to the edge (cylinder {edge}), returns to cylinder {other} serving nothing and sweeps again; " +
                $"the return sweep ({result.ReturnTravel} cylinders) is {counted}",
            (false, false) => "reverses at the last request in the sweep direction; it never visits an edge no request asked for",
            (false, true) => $"jumps back from the last request to the farthest one and sweeps again; the jump ({result.ReturnTravel} cylinders) is {counted}",
        };
    }
}
