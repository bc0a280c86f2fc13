using System.Security;
using System.Text;

namespace Hardware.Cli.Study.Charts;

/// <summary>
/// Draws a chart as one self-contained SVG element (no plotting library, no scripts, no ids, so many charts can sit
/// in one HTML page): a title, axes with ticks, labels and grid lines, the series as polylines, staircases or dots,
/// and a legend. Points outside the axes' bounds are clamped to the frame; points that a log axis cannot show (zero or
/// negative) are left out.
/// </summary>
public static class SvgChart
{
    /// <summary>Series colours (the 10-colour palette most plotting tools use), in series order.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const int MarginLeft = 64;
    private const int MarginTop = 30;
    private const int MarginBottom = 44;
    private const int LegendWidth = 150;

    /// <param name="firstColour">The palette index of the first series (so a scheduler keeps its colour in small charts).</param>
    public static string Render(ChartOptions options, IReadOnlyList<ChartSeries> series, int firstColour = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(series);
        bool legend = options.Legend ?? series.Count > 1;
        int right = options.Width - (legend ? LegendWidth : 16);
        int bottom = options.Height - MarginBottom;
        AxisScale x = Scale(options.XMin, options.XMax, options.LogX, series.SelectMany(s => s.Points).Select(p => p.X), MarginLeft, right);
        AxisScale y = Scale(options.YMin, options.YMax, options.LogY, series.SelectMany(s => s.Points).Select(p => p.Y), bottom, MarginTop);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{options.Width}\" height=\"{options.Height}\" ")
           .Append($"viewBox=\"0 0 {options.Width} {options.Height}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n");
        svg.Append($"<title>{Escape(options.Title)}</title>\n");
        svg.Append($"<text x=\"{MarginLeft}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{Escape(options.Title)}</text>\n");
        AppendAxes(svg, options, x, y, right, bottom);
        for (int i = 0; i < series.Count; i++)
            AppendSeries(svg, series[i], Palette[(firstColour + i) % Palette.Count], x, y);
        if (legend)
            AppendLegend(svg, series, right + 12, firstColour);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static AxisScale Scale(double? min, double? max, bool log, IEnumerable<double> values, double pixelFrom, double pixelTo)
    {
        double[] usable = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToArray();
        double low = usable.Length == 0 ? (log ? 1 : 0) : usable.Min();
        double high = usable.Length == 0 ? (log ? 10 : 1) : usable.Max();
        (double niceMin, double niceMax) = AxisScale.NiceBounds(min ?? low, max ?? high, log);
        double from = min ?? niceMin, to = max ?? niceMax;
        if (!(to > from))
            (from, to) = (niceMin, niceMax);
        return new AxisScale(from, to, log, pixelFrom, pixelTo);
    }

    private static void AppendAxes(StringBuilder svg, ChartOptions options, AxisScale x, AxisScale y, int right, int bottom)
    {
        svg.Append("<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
        foreach (double tick in x.Ticks())
            svg.Append($"<line x1=\"{C(x.ToPixel(tick))}\" y1=\"{MarginTop}\" x2=\"{C(x.ToPixel(tick))}\" y2=\"{bottom}\"/>\n");
        foreach (double tick in y.Ticks())
            svg.Append($"<line x1=\"{MarginLeft}\" y1=\"{C(y.ToPixel(tick))}\" x2=\"{right}\" y2=\"{C(y.ToPixel(tick))}\"/>\n");
        svg.Append("</g>\n");
        svg.Append($"<rect x=\"{MarginLeft}\" y=\"{MarginTop}\" width=\"{right - MarginLeft}\" height=\"{bottom - MarginTop}\" fill=\"none\" stroke=\"#333\"/>\n");
        svg.Append("<g fill=\"#333\">\n");
        foreach (double tick in x.Ticks())
            svg.Append($"<text x=\"{C(x.ToPixel(tick))}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{ChartNumbers.Label(tick)}</text>\n");
        foreach (double tick in y.Ticks())
            svg.Append($"<text x=\"{MarginLeft - 6}\" y=\"{C(y.ToPixel(tick) + 4)}\" text-anchor=\"end\">{ChartNumbers.Label(tick)}</text>\n");
        svg.Append($"<text x=\"{C((MarginLeft + right) / 2.0)}\" y=\"{bottom + 34}\" text-anchor=\"middle\">{Escape(options.XLabel)}</text>\n");
        double middle = (MarginTop + bottom) / 2.0;
        svg.Append($"<text x=\"14\" y=\"{C(middle)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {C(middle)})\">{Escape(options.YLabel)}</text>\n");
        svg.Append("</g>\n");
    }

    private static void AppendSeries(StringBuilder svg, ChartSeries series, string colour, AxisScale x, AxisScale y)
    {
        var points = series.Points.Where(p => Drawable(p.X, x) && Drawable(p.Y, y))
            .Select(p => (X: Clamp(p.X, x), Y: Clamp(p.Y, y))).ToList();
        svg.Append($"<g data-series=\"{Escape(series.Name)}\">");
        if (points.Count > 0)
        {
            var path = new StringBuilder();
            switch (series.Style)
            {
                case SeriesStyle.Line:
                    svg.Append("<polyline fill=\"none\" stroke=\"").Append(colour).Append("\" stroke-width=\"1.5\" points=\"")
                       .AppendJoin(' ', points.Select(p => $"{C(p.X)},{C(p.Y)}")).Append("\"/>");
                    break;
                case SeriesStyle.Step:
                    path.Append($"M{C(points[0].X)} {C(points[0].Y)}");
                    for (int i = 1; i < points.Count; i++)
                        path.Append($"H{C(points[i].X)}V{C(points[i].Y)}");
                    svg.Append($"<path fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" d=\"{path}\"/>");
                    break;
                case SeriesStyle.Dots:
                    // A zero-length segment with round caps is a dot: far shorter than one element per point.
                    foreach (var p in points)
                        path.Append($"M{C(p.X)} {C(p.Y)}h0");
                    svg.Append($"<path fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-linecap=\"round\" d=\"{path}\"/>");
                    break;
            }
        }
        svg.Append("</g>\n");
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<ChartSeries> series, int left, int firstColour)
    {
        svg.Append("<g>\n");
        for (int i = 0; i < series.Count; i++)
        {
            int top = MarginTop + i * 16;
            svg.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"12\" height=\"10\" fill=\"{Palette[(firstColour + i) % Palette.Count]}\"/>")
               .Append($"<text x=\"{left + 18}\" y=\"{top + 9}\">{Escape(series[i].Name)}</text>\n");
        }
        svg.Append("</g>\n");
    }

    private static bool Drawable(double value, AxisScale axis) => double.IsFinite(value) && (!axis.IsLog || value > 0);

    private static double Clamp(double value, AxisScale axis) => axis.ToPixel(Math.Clamp(value, axis.Min, axis.Max));

    private static string C(double value) => ChartNumbers.Coordinate(value);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
