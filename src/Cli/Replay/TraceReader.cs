namespace Hardware.Cli.Replay;

/// <summary>The trace formats replay reads.</summary>
public enum TraceFormat
{
    /// <summary>Decided from the first non-empty line: seven comma-separated fields are MSR, anything else blkparse.</summary>
    Auto,
    Blkparse,
    Msr,
}

/// <summary>Reads a trace file of either format into the I/Os to replay.</summary>
public static class TraceReader
{
    public static IReadOnlyList<TraceIo> ReadFile(string path, TraceFormat format = TraceFormat.Auto)
    {
        using StreamReader reader = TraceErrors.Open(path);
        return Read(reader, path, format);
    }

    public static IReadOnlyList<TraceIo> Read(TextReader reader, string source, TraceFormat format = TraceFormat.Auto)
    {
        if (format == TraceFormat.Auto)
        {
            string text = reader.ReadToEnd();
            format = Detect(text);
            reader = new StringReader(text);
        }
        return format == TraceFormat.Msr ? MsrTraceReader.Read(reader, source) : BlkparseTraceReader.Read(reader, source);
    }

    public static TraceFormat Detect(string text)
    {
        using var lines = new StringReader(text);
        while (lines.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
                return line.Split(',').Length == 7 ? TraceFormat.Msr : TraceFormat.Blkparse;
        }
        return TraceFormat.Blkparse;
    }
}
