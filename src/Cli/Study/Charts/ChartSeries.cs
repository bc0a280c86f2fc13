namespace Hardware.Cli.Study.Charts;

/// <summary>How a series is drawn: a line through its points, a staircase (a value that holds until the next point), or dots.</summary>
public enum SeriesStyle
{
    Line,
    Step,
    Dots,
}

/// <summary>One named series of a chart; points in X order for lines and steps.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<SeriesPoint> Points, SeriesStyle Style = SeriesStyle.Line);

/// <summary>A chart's frame: title, axis labels, scales and size in pixels. Unset bounds follow the data.</summary>
public sealed record ChartOptions
{
    public required string Title { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }
    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public double? XMin { get; init; }
    public double? XMax { get; init; }
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    public int Width { get; init; } = 720;
    public int Height { get; init; } = 320;
    /// <summary>Whether to draw the legend (on by default when there is more than one series).</summary>
    public bool? Legend { get; init; }
}
