using Hardware.Cli.Commands;

namespace Hardware.Cli.Replay;

/// <summary>Errors of the trace readers: one line naming the trace and the line at fault (exit status 2).</summary>
internal static class TraceErrors
{
    public static CliException AtLine(string source, int line, string message) => new($"{source} line {line}: {message}");

    public static CliException Whole(string source, string message) => new($"{source}: {message}");

    /// <summary>Opens a trace file; a missing or unreadable file is a one-line error, not an exception trace.</summary>
    public static StreamReader Open(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Whole(path, $"cannot read the trace: {e.Message}");
        }
    }

    /// <summary>The I/Os ordered by time (stable), re-based so the earliest is at 0.</summary>
    public static IReadOnlyList<TraceIo> InTimeOrder(List<TraceIo> ios)
    {
        if (ios.Count == 0)
            return ios;
        long origin = ios.Min(io => io.TimestampNs);
        return ios.Select(io => io with { TimestampNs = io.TimestampNs - origin }).OrderBy(io => io.TimestampNs).ToList();
    }
}
