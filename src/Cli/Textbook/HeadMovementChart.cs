using System.Globalization;
using System.Xml.Linq;

namespace Hardware.Cli.Textbook;

/// <summary>
/// The classic head-movement chart as SVG: one panel per algorithm, cylinders across the top (0, the last one and
/// every requested cylinder), the arm's path drawn downwards one step per move - one polyline per algorithm.
/// </summary>
public static class HeadMovementChart
{
    private const double Width = 720;
    private const double Left = 40;
    private const double Right = 20;
    private const double PanelHeader = 62;
    private const double Row = 22;
    private const double PanelGap = 18;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    public static string Render(TextbookProblem problem, IReadOnlyList<TextbookResult> results)
    {
        var panels = new List<XElement>();
        double top = 0;
        for (int i = 0; i < results.Count; i++)
        {
            panels.Add(Panel(problem, results[i], top, Colours[i % Colours.Length]));
            top += PanelHeight(results[i]) + PanelGap;
        }
        var root = new XElement(Svg + "svg",
            new XAttribute("width", Number(Width)),
            new XAttribute("height", Number(top)),
            new XAttribute("viewBox", $"0 0 {Number(Width)} {Number(top)}"),
            new XAttribute("font-family", "sans-serif"),
            new XElement(Svg + "title", $"Head movement: head at {problem.Head}, cylinders 0-{problem.Cylinders - 1}"),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            panels);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root.ToString() + "\n";
    }

    private static double PanelHeight(TextbookResult result) => PanelHeader + (result.Path.Count - 1) * Row + 12;

    private static XElement Panel(TextbookProblem problem, TextbookResult result, double top, string colour)
    {
        double X(int cylinder) => Left + cylinder * (Width - Left - Right) / (problem.Cylinders - 1);
        double axisY = top + PanelHeader - 14;
        double Y(int step) => top + PanelHeader + step * Row;

        var group = new XElement(Svg + "g", new XAttribute("class", "algorithm"), new XAttribute("data-algorithm", result.Algorithm.Name));
        group.Add(Text(Left, top + 16, 14, "bold", $"{result.Algorithm.Name.ToUpperInvariant()} ({result.Algorithm.ElevatorName} elevator): {Caption(result)}"));
        group.Add(new XElement(Svg + "line",
            new XAttribute("x1", Number(X(0))), new XAttribute("y1", Number(axisY)),
            new XAttribute("x2", Number(X(problem.Cylinders - 1))), new XAttribute("y2", Number(axisY)),
            new XAttribute("stroke", "#444")));
        int[] ticks = problem.Requests.Append(0).Append(problem.Cylinders - 1).Append(problem.Head).Distinct().Order().ToArray();
        foreach (int cylinder in ticks)
        {
            double x = X(cylinder);
            group.Add(new XElement(Svg + "line",
                new XAttribute("x1", Number(x)), new XAttribute("y1", Number(axisY - 3)),
                new XAttribute("x2", Number(x)), new XAttribute("y2", Number(Y(result.Path.Count - 1))),
                new XAttribute("stroke", "#ddd"), new XAttribute("stroke-width", "0.5")));
            var label = Text(x, axisY - 6, 9, "normal", cylinder.ToString(CultureInfo.InvariantCulture));
            label.Add(new XAttribute("transform", $"rotate(-75 {Number(x)} {Number(axisY - 6)})"));
            group.Add(label);
        }
        string points = string.Join(' ', result.Path.Select((stop, step) => $"{Number(X(stop.Cylinder))},{Number(Y(step))}"));
        group.Add(new XElement(Svg + "polyline",
            new XAttribute("points", points),
            new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2")));
        for (int step = 0; step < result.Path.Count; step++)
        {
            ArmStop stop = result.Path[step];
            bool marked = stop.Serves || step == 0;
            group.Add(new XElement(Svg + "circle",
                new XAttribute("cx", Number(X(stop.Cylinder))), new XAttribute("cy", Number(Y(step))),
                new XAttribute("r", marked ? "3.5" : "2"),
                new XAttribute("fill", marked ? colour : "white"), new XAttribute("stroke", colour)));
        }
        return group;
    }

    private static string Caption(TextbookResult result)
    {
        string text = $"{result.HeadMovement} cylinders";
        if (result.ReturnTravel > 0)
            text += result.ReturnCounted ? $" (return sweep of {result.ReturnTravel} counted)" : $" (return sweep of {result.ReturnTravel} not counted)";
        return text;
    }

    private static XElement Text(double x, double y, int size, string weight, string text) =>
        new(Svg + "text",
            new XAttribute("x", Number(x)), new XAttribute("y", Number(y)),
            new XAttribute("font-size", size.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("font-weight", weight), text);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
