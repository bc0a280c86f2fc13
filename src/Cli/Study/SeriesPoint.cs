namespace Hardware.Cli.Study;

/// <summary>One point of a series over time or of a distribution (X: time in seconds or latency, Y: the value).</summary>
public readonly record struct SeriesPoint(double X, double Y);
