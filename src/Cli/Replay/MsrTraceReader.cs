using System.Globalization;

namespace Hardware.Cli.Replay;

/// <summary>
/// Reads the MSR Cambridge block traces (SNIA IOTTA): comma-separated
/// <c>Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime</c>, one I/O a line, e.g.
/// <c>128166372003061629,hm,1,Read,3154152448,4096,1118</c>. Timestamp is a Windows FILETIME (100 ns units since
/// 1601), Type Read or Write, Offset and Size in bytes, ResponseTime in 100 ns units (recorded, not replayed). The
/// original files have no header; a first line naming the columns is accepted. One file is one volume: a second
/// host or disk number is an error, as is any malformed line.
/// </summary>
public static class MsrTraceReader
{
    private const int Columns = 7;
    private const long FiletimeTickNs = 100;

    public static IReadOnlyList<TraceIo> ReadFile(string path)
    {
        using StreamReader reader = TraceErrors.Open(path);
        return Read(reader, path);
    }

    public static IReadOnlyList<TraceIo> Read(TextReader reader, string source)
    {
        var ios = new List<TraceIo>();
        string? volume = null;
        int volumeLine = 0;
        long? origin = null;
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0)
                continue;
            string[] fields = line.Split(',');
            for (int i = 0; i < fields.Length; i++)
                fields[i] = fields[i].Trim();
            if (fields.Length != Columns)
                throw TraceErrors.AtLine(source, number, $"expected {Columns} comma-separated fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), found {fields.Length}");
            if (ios.Count == 0 && volume is null && fields[0].Equals("Timestamp", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
                throw TraceErrors.AtLine(source, number, $"Timestamp '{fields[0]}' is not a Windows filetime (100 ns ticks)");
            if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw TraceErrors.AtLine(source, number, $"DiskNumber '{fields[2]}' is not a whole number");
            string thisVolume = $"{fields[1]} disk {fields[2]}";
            if (volume is null)
            {
                volume = thisVolume;
                volumeLine = number;
            }
            else if (thisVolume != volume)
            {
                throw TraceErrors.AtLine(source, number, $"{thisVolume} differs from {volume} (line {volumeLine}); replay one volume at a time");
            }
            bool isWrite = fields[3].ToLowerInvariant() switch
            {
                "read" => false,
                "write" => true,
                _ => throw TraceErrors.AtLine(source, number, $"Type '{fields[3]}' is neither Read nor Write"),
            };
            if (!long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
                throw TraceErrors.AtLine(source, number, $"Offset '{fields[4]}' is not a byte offset");
            if (!int.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size == 0)
                throw TraceErrors.AtLine(source, number, $"Size '{fields[5]}' is not a byte count from 1 to {int.MaxValue}");
            if (!long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw TraceErrors.AtLine(source, number, $"ResponseTime '{fields[6]}' is not a whole number of 100 ns ticks");
            // Absolute filetimes in nanoseconds overflow a long; times are kept relative to the first record.
            origin ??= ticks;
            long relative = ticks - origin.Value;
            if (Math.Abs(relative) > long.MaxValue / FiletimeTickNs)
                throw TraceErrors.AtLine(source, number, $"Timestamp {ticks} is too far from the first record's {origin}");
            ios.Add(new TraceIo(relative * FiletimeTickNs, isWrite, offset, size));
        }
        if (ios.Count == 0)
            throw TraceErrors.Whole(source, "no I/O records");
        return TraceErrors.InTimeOrder(ios);
    }
}
