using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Hardware.Cli.Tests.Textbook;

/// <summary>
/// `hwstack textbook` on the example of Silberschatz, Galvin and Gagne: cylinders 0-199, head at 53, queue
/// 98, 183, 37, 122, 14, 124, 65, 67. The book gives FCFS 640, SSTF 236 and SCAN toward 0 236 cylinders; the
/// C-SCAN upward figure is 382 with the 199-cylinder return sweep and 183 without it.
/// </summary>
public class TextbookCommandTests
{
    private static readonly string[] Example = ["textbook", "--head", "53", "--cylinders", "200", "--requests", "98,183,37,122,14,124,65,67"];

    private static JsonArray Json(params string[] extra)
    {
        var (exit, output, error) = CliRun.Run([.. Example, "--json", .. extra]);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        return JsonNode.Parse(output)!.AsArray();
    }

    private static (int[] Order, long Movement) One(string algorithm, params string[] extra)
    {
        JsonNode entry = Json(["--algorithms", algorithm, .. extra]).Single()!;
        Assert.Equal(algorithm, (string)entry["algorithm"]!);
        return (entry["order"]!.AsArray().Select(n => (int)n!).ToArray(), (long)entry["headMovement"]!);
    }

    [Fact]
    public void Fcfs_serves_the_queue_in_arrival_order_and_moves_the_head_640_cylinders()
    {
        var (order, movement) = One("fcfs");
        Assert.Equal([98, 183, 37, 122, 14, 124, 65, 67], order);
        Assert.Equal(640, movement);
    }

    [Fact]
    public void Sstf_moves_the_head_236_cylinders()
    {
        var (order, movement) = One("sstf");
        Assert.Equal([65, 67, 37, 14, 98, 122, 124, 183], order);
        Assert.Equal(236, movement);
    }

    [Theory]
    [InlineData("scan", "down", new[] { 37, 14, 65, 67, 98, 122, 124, 183 }, 236)]
    [InlineData("scan", "up", new[] { 65, 67, 98, 122, 124, 183, 37, 14 }, 331)]
    [InlineData("look", "down", new[] { 37, 14, 65, 67, 98, 122, 124, 183 }, 208)]
    [InlineData("look", "up", new[] { 65, 67, 98, 122, 124, 183, 37, 14 }, 299)]
    [InlineData("c-scan", "up", new[] { 65, 67, 98, 122, 124, 183, 14, 37 }, 382)]
    [InlineData("c-scan", "down", new[] { 37, 14, 183, 124, 122, 98, 67, 65 }, 386)]
    [InlineData("c-look", "up", new[] { 65, 67, 98, 122, 124, 183, 14, 37 }, 322)]
    [InlineData("c-look", "down", new[] { 37, 14, 183, 124, 122, 98, 67, 65 }, 326)]
    public void Each_sweep_algorithm_serves_in_its_order_and_moves_the_head_its_distance(string algorithm, string direction, int[] expected, long distance)
    {
        var (order, movement) = One(algorithm, "--direction", direction);
        Assert.Equal(expected, order);
        Assert.Equal(distance, movement);
    }

    [Theory]
    [InlineData("c-scan", 183)]
    [InlineData("c-look", 153)]
    public void An_uncounted_return_sweep_leaves_the_circular_return_out_of_the_total(string algorithm, long distance)
    {
        Assert.Equal(distance, One(algorithm, "--direction", "up", "--return-sweep", "uncounted").Movement);
    }

    [Fact]
    public void The_default_run_is_the_book_example_going_down_with_every_algorithm()
    {
        JsonArray all = Json();
        Assert.Equal(["fcfs", "sstf", "scan", "c-scan", "look", "c-look"], all.Select(e => (string)e!["algorithm"]!));
        Assert.Equal([640L, 236, 236, 386, 208, 326], all.Select(e => (long)e!["headMovement"]!));
    }

    [Fact]
    public void The_json_has_exactly_algorithm_order_and_head_movement()
    {
        foreach (JsonNode? entry in Json())
        {
            JsonObject obj = entry!.AsObject();
            Assert.Equal(["algorithm", "order", "headMovement"], obj.Select(p => p.Key));
            Assert.Equal(8, obj["order"]!.AsArray().Count);
        }
    }

    [Fact]
    public void The_text_names_the_elevator_and_says_which_trips_the_totals_count()
    {
        var (exit, output, error) = CliRun.Run(Example);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Matches(@"FCFS\s+none\s+640\s+98 183 37 122 14 124 65 67", output);
        Assert.Matches(@"SSTF\s+sstf\s+236\s+65 67 37 14 98 122 124 183", output);
        Assert.Contains("scan: travels on to the disk edge (cylinder 0) before reversing; the trip to the edge is counted", output);
        Assert.Contains("the return sweep (199 cylinders) is counted", output);
    }

    [Fact]
    public void The_chart_is_well_formed_svg_with_one_polyline_per_algorithm()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hwstack-textbook-{Guid.NewGuid():N}.svg");
        try
        {
            var (exit, _, error) = CliRun.Run([.. Example, "--algorithms", "fcfs,sstf,c-scan", "--direction", "up", "--svg", path]);
            Assert.Equal("", error);
            Assert.Equal(0, exit);
            XDocument svg = XDocument.Load(path);
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", svg.Root!.Name);
            XElement[] lines = svg.Descendants(ns + "polyline").ToArray();
            Assert.Equal(3, lines.Length);
            // C-SCAN upwards: start, six requests, edge 199, edge 0, two requests.
            string[] cscan = lines[2].Attribute("points")!.Value.Split(' ');
            Assert.Equal(11, cscan.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--requests", "98,200,37", "request 2 (200) is past the disk's cylinders 0-199")]
    [InlineData("--requests", "98,x", "item 2 'x' is not a cylinder number")]
    [InlineData("--head", "250", "--head 250")]
    [InlineData("--algorithms", "fcfs,elevator", "unknown algorithm 'elevator'")]
    [InlineData("--direction", "sideways", "sideways")]
    public void Bad_input_is_one_line_and_exit_status_2(string option, string value, string message)
    {
        var args = new List<string>(Example);
        int given = args.IndexOf(option);
        if (given >= 0)
            args[given + 1] = value;
        else
            args.AddRange([option, value]);
        var (exit, output, error) = CliRun.Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(message, error);
    }
}
