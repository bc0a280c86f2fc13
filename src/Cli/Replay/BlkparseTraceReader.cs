using System.Globalization;

namespace Hardware.Cli.Replay;

/// <summary>
/// Reads blkparse's default text output: event lines
/// <c>8,0    3       11     0.009507758   697  Q   R 223490 + 8 [kjournald]</c> (device, CPU, sequence, seconds,
/// pid, action, RWBS, sector + sectors, process). The I/Os are the queue (Q) events - what the application asked
/// for, before merging - or, in a trace without any, the issue (D) events. Only reads and writes with data count:
/// discards, flushes without data and other actions are skipped, as are the summary blkparse prints at the end
/// (from a "CPU0 (8,0):" or "Total (8,0):" header on). A line that starts like an event but does not parse, or any
/// other text before the summary, is an error naming its line.
/// </summary>
public static class BlkparseTraceReader
{
    private const int SectorBytes = 512;

    public static IReadOnlyList<TraceIo> ReadFile(string path)
    {
        using StreamReader reader = TraceErrors.Open(path);
        return Read(reader, path);
    }

    public static IReadOnlyList<TraceIo> Read(TextReader reader, string source)
    {
        var queued = new List<TraceIo>();
        var issued = new List<TraceIo>();
        string? device = null;
        int deviceLine = 0;
        bool inSummary = false;
        int number = 0;
        bool anyEvent = false;
        while (reader.ReadLine() is { } line)
        {
            number++;
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
                continue;
            if (!IsDevice(fields[0]))
            {
                if (IsSummaryHeader(fields))
                    inSummary = true;
                else if (!inSummary && !line.StartsWith("Input file ", StringComparison.Ordinal))
                    throw TraceErrors.AtLine(source, number, $"'{Clip(line)}' is not a blkparse event line (device,minor cpu sequence time pid action rwbs ...)");
                continue;
            }
            anyEvent = true;
            if (fields.Length < 7)
                throw TraceErrors.AtLine(source, number, $"an event line needs at least 7 fields (device cpu sequence time pid action rwbs), found {fields.Length}");
            if (!uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                || !ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw TraceErrors.AtLine(source, number, $"cpu '{fields[1]}' and sequence '{fields[2]}' must be whole numbers");
            if (!TryParseSeconds(fields[3], out long timeNs))
                throw TraceErrors.AtLine(source, number, $"time '{fields[3]}' is not seconds.nanoseconds");
            if (!uint.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw TraceErrors.AtLine(source, number, $"pid '{fields[4]}' is not a whole number");
            string action = fields[5];
            if (action is not ("Q" or "D"))
                continue;
            if (!TryParseRwbs(fields[6], out char op))
                throw TraceErrors.AtLine(source, number, $"RWBS '{fields[6]}' is not blkparse's [F](R|W|D|N)[F][A][S][M]");
            if (op is not ('R' or 'W'))
                continue;
            // "sector + sectors [process]"; an event without data has no "+ sectors" and carries nothing to replay.
            if (fields.Length < 10 || fields[8] != "+")
            {
                if (fields.Length >= 9 && fields[8] == "+")
                    throw TraceErrors.AtLine(source, number, "'+' is not followed by a sector count");
                continue;
            }
            if (!long.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out long sector)
                || sector > long.MaxValue / SectorBytes)
                throw TraceErrors.AtLine(source, number, $"sector '{fields[7]}' is not a sector number");
            if (!int.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out int sectors)
                || sectors == 0 || sectors > int.MaxValue / SectorBytes)
                throw TraceErrors.AtLine(source, number, $"sector count '{fields[9]}' is not a count from 1 to {int.MaxValue / SectorBytes}");
            if (device is null)
            {
                device = fields[0];
                deviceLine = number;
            }
            else if (fields[0] != device)
            {
                throw TraceErrors.AtLine(source, number,
                    $"device {fields[0]} differs from {device} (line {deviceLine}); replay one device at a time (blkparse -i DEVICE)");
            }
            var io = new TraceIo(timeNs, op == 'W', sector * SectorBytes, sectors * SectorBytes);
            (action == "Q" ? queued : issued).Add(io);
        }
        if (!anyEvent)
            throw TraceErrors.Whole(source, "no blkparse event lines");
        return TraceErrors.InTimeOrder(queued.Count > 0 ? queued : issued);
    }

    private static bool IsDevice(string field)
    {
        int comma = field.IndexOf(',');
        return comma > 0 && comma < field.Length - 1
            && field.AsSpan(0, comma).IndexOfAnyExceptInRange('0', '9') < 0
            && field.AsSpan(comma + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>"CPU0 (8,0):", "Total (8,0):" - where blkparse's per-CPU and per-device summaries begin.</summary>
    private static bool IsSummaryHeader(string[] fields) =>
        fields.Length >= 2 && (fields[0] == "Total" || (fields[0].StartsWith("CPU", StringComparison.Ordinal)
            && fields[0].AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0)) && fields[1].StartsWith('(');

    /// <summary>blkparse prints "%5d.%09lu": whole seconds, a point, nanoseconds; fewer fraction digits are scaled.</summary>
    private static bool TryParseSeconds(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        int point = text.IndexOf('.');
        string whole = point < 0 ? text : text[..point];
        string fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length == 0 || fraction.Length > 9
            || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds > long.MaxValue / 1_000_000_000 - 1)
            return false;
        long part = 0;
        if (fraction.Length > 0 && !long.TryParse(fraction.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture, out part))
            return false;
        nanoseconds = seconds * 1_000_000_000 + part;
        return true;
    }

    /// <summary>
    /// blkparse's RWBS: an optional F (preflush), then the direction - D discard, W write, R read, N no data -
    /// then optional F (FUA), A (read-ahead), S (sync), M (metadata).
    /// </summary>
    private static bool TryParseRwbs(string rwbs, out char op)
    {
        op = '\0';
        int i = 0;
        if (rwbs.Length > 1 && rwbs[0] == 'F' && rwbs[1] is 'D' or 'W' or 'R' or 'N')
            i = 1;
        if (i >= rwbs.Length || rwbs[i] is not ('D' or 'W' or 'R' or 'N'))
            return false;
        op = rwbs[i];
        foreach (char modifier in rwbs.AsSpan(i + 1))
        {
            if (modifier is not ('F' or 'A' or 'S' or 'M'))
                return false;
        }
        return true;
    }

    private static string Clip(string line)
    {
        string text = line.Trim();
        return text.Length <= 60 ? text : text[..60] + "...";
    }
}
