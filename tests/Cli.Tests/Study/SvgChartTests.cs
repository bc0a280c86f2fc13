using System.Xml.Linq;
using Hardware.Cli.Study;
using Hardware.Cli.Study.Charts;

namespace Hardware.Cli.Tests.Study;

public class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Render(ChartOptions options, params ChartSeries[] series) => XElement.Parse(SvgChart.Render(options, series));

    private static readonly ChartOptions Frame = new() { Title = "Queue depth", XLabel = "time (s)", YLabel = "requests" };

    [Fact]
    public void A_chart_is_well_formed_svg_with_one_group_per_series_and_a_legend()
    {
        XElement svg = Render(Frame,
            new ChartSeries("none", [new(0, 1), new(1, 3), new(2, 2)]),
            new ChartSeries("mq-deadline", [new(0, 2), new(2, 5)], SeriesStyle.Step),
            new ChartSeries("head", [new(0.5, 1), new(1.5, 4)], SeriesStyle.Dots));
        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("Queue depth", svg.Element(Svg + "title")!.Value);
        var groups = svg.Descendants(Svg + "g").Where(g => g.Attribute("data-series") is not null).ToList();
        Assert.Equal(["none", "mq-deadline", "head"], groups.Select(g => g.Attribute("data-series")!.Value));
        Assert.Equal(3, groups[0].Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length);
        Assert.StartsWith("M", groups[1].Element(Svg + "path")!.Attribute("d")!.Value);
        Assert.Equal(2, groups[2].Element(Svg + "path")!.Attribute("d")!.Value.Split('M', StringSplitOptions.RemoveEmptyEntries).Length);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("mq-deadline", texts);
        Assert.Contains("time (s)", texts);
        Assert.Contains("requests", texts);
    }

    [Fact]
    public void Linear_ticks_are_nice_steps_covering_the_data()
    {
        XElement svg = Render(Frame, new ChartSeries("only", [new(0, 0), new(10, 37)]));
        var labels = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        foreach (string label in new[] { "0", "10", "20", "30", "40", "2", "4", "6", "8" })
            Assert.Contains(label, labels);
        Assert.DoesNotContain(svg.Descendants(Svg + "text"), t => t.Value == "only"); // one series: no legend
    }

    [Fact]
    public void A_log_axis_has_decade_ticks_and_leaves_out_what_it_cannot_show()
    {
        var options = Frame with { LogX = true, XLabel = "latency (ms)" };
        XElement svg = Render(options, new ChartSeries("reads", [new(0, 0.1), new(0.05, 0.2), new(3, 0.5), new(250, 1)]));
        var labels = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Equal(["0.01", "0.1", "1", "10", "100", "1k"], labels.Where(l => l is "0.01" or "0.1" or "1" or "10" or "100" or "1k").Distinct());
        string points = svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value;
        Assert.Equal(3, points.Split(' ').Length);
    }

    [Fact]
    public void Names_and_titles_are_escaped()
    {
        XElement svg = Render(Frame with { Title = "a < b & \"c\"" }, new ChartSeries("mq-deadline:fifo_batch=1<2>", [new(0, 1)]), new ChartSeries("x&y", [new(1, 2)]));
        Assert.Equal("a < b & \"c\"", svg.Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("data-series") == "x&y");
    }

    [Fact]
    public void Coordinates_stay_inside_the_frame_when_points_pass_the_given_bounds()
    {
        XElement svg = Render(Frame with { YMin = 0, YMax = 10, Width = 400, Height = 200 }, new ChartSeries("s", [new(0, -5), new(1, 50)]));
        var coordinates = svg.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(',').Select(double.Parse).ToArray()).ToList();
        Assert.All(coordinates, c => Assert.InRange(c[1], 0, 200));
    }

    [Fact]
    public void An_empty_chart_still_renders_axes()
    {
        XElement svg = Render(Frame, new ChartSeries("nothing", []));
        Assert.NotNull(svg.Element(Svg + "rect"));
        Assert.Empty(svg.Descendants(Svg + "polyline"));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.25, "0.25")]
    [InlineData(40, "40")]
    [InlineData(1500, "1.5k")]
    [InlineData(976_773_168, "976.773M")]
    [InlineData(-2_000_000, "-2M")]
    public void Tick_labels_are_short(double value, string label)
    {
        Assert.Equal(label, ChartNumbers.Label(value));
    }

    [Fact]
    public void Min_max_downsampling_keeps_peaks_and_is_bounded()
    {
        var points = Enumerable.Range(0, 10_000).Select(i => new SeriesPoint(i, i == 4321 ? 1000 : i % 7)).ToList();
        IReadOnlyList<SeriesPoint> kept = Downsample.MinMax(points, 100);
        Assert.InRange(kept.Count, 100, 200);
        Assert.Contains(new SeriesPoint(4321, 1000), kept);
        Assert.True(kept.Zip(kept.Skip(1)).All(pair => pair.First.X < pair.Second.X));
        Assert.Equal(kept, Downsample.MinMax(points, 100));
        Assert.Same(points, Downsample.MinMax(points, 5000));
    }

    [Fact]
    public void Stride_downsampling_keeps_every_kth_point()
    {
        var points = Enumerable.Range(0, 1000).Select(i => new SeriesPoint(i, i)).ToList();
        IReadOnlyList<SeriesPoint> kept = Downsample.Stride(points, 300);
        Assert.Equal(250, kept.Count); // stride 4
        Assert.Equal([0.0, 4, 8], kept.Take(3).Select(p => p.X));
    }
}
