using System.Globalization;
using System.Text;
using Hardware.Cli.Commands;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// fio's per-job logs (write_lat_log, write_bw_log, write_iops_log) of one clone, written as fio writes them when the
/// run ends: PREFIX_lat.N.log, PREFIX_clat.N.log, PREFIX_slat.N.log, PREFIX_bw.N.log, PREFIX_iops.N.log, where N is
/// the clone's number among all the clones of the job file (fio's thread_number, from 1). A relative prefix is taken
/// from the current directory, as fio does. Each line is "time, value, direction, block size[, offset], priority":
/// time in ms of virtual time since the clone's counted I/O began (after ramp_time), direction 0 for reads and 1 for
/// writes, priority always 0. Values: latencies in ns; bandwidth in fio's unit, per I/O bytes·10^6 / clat in ns, per
/// window KiB/s; IOPS 1 per I/O, per window I/Os per second. With log_avg_msec each window of that many ms gives one
/// entry per direction that had I/O in it (the mean latency, or the window's rate), stamped at the window's end,
/// with block size and offset 0; the last, partial window is stamped at the last completion.
/// </summary>
internal sealed class FioLogRecorder
{
    private readonly JobSpec _job;
    private readonly int _threadNumber;
    private readonly List<Sample> _samples = [];

    public FioLogRecorder(JobSpec job, int threadNumber)
    {
        _job = job;
        _threadNumber = threadNumber;
    }

    /// <summary>Whether the job asks for any log.</summary>
    public static bool Wanted(JobSpec job) =>
        job.LatencyLogPrefix is not null || job.BandwidthLogPrefix is not null || job.IopsLogPrefix is not null;

    /// <summary>One counted I/O: its completion time since the clone's epoch, latencies in ns (slat null for synchronous engines).</summary>
    public void Record(long sinceEpochNs, bool isRead, int bytes, long offset, long? slatNs, long clatNs) =>
        _samples.Add(new Sample(sinceEpochNs, isRead ? 0 : 1, bytes, offset, slatNs, clatNs));

    /// <summary>The log files of this clone, to be written when the run ends.</summary>
    public IEnumerable<FioLogFile> Files() => Texts().Select(f => new FioLogFile(f.Path, f.Text, $"{_job.Origin}: job '{_job.Name}'"));

    private IEnumerable<(string Path, string Text)> Texts()
    {
        if (_job.LatencyLogPrefix is { } lat)
        {
            yield return (Name(lat, "lat"), Latencies(s => (s.SlatNs ?? 0) + s.ClatNs, _samples));
            yield return (Name(lat, "clat"), Latencies(s => s.ClatNs, _samples));
            yield return (Name(lat, "slat"), Latencies(s => s.SlatNs ?? 0, _samples.Where(s => s.SlatNs is not null)));
        }
        if (_job.BandwidthLogPrefix is { } bw)
            yield return (Name(bw, "bw"), Rates(s => s.ClatNs > 0 ? s.Bytes * 1_000_000L / s.ClatNs : 0,
                (bytes, ios, ms) => bytes * 1000 / ms / 1024));
        if (_job.IopsLogPrefix is { } iops)
            yield return (Name(iops, "iops"), Rates(_ => 1, (bytes, ios, ms) => ios * 1000 / ms));
    }

    private string Name(string prefix, string kind) => $"{prefix}_{kind}.{_threadNumber}.log";

    private string Latencies(Func<Sample, long> value, IEnumerable<Sample> samples) =>
        Log(samples, value, (_, inWindow) => (long)inWindow.Average(value));

    private string Rates(Func<Sample, long> perIo, Func<long, long, long, long> perWindow) =>
        Log(_samples, perIo, (window, inWindow) =>
            perWindow(inWindow.Sum(s => (long)s.Bytes), inWindow.Count, Math.Max(1, window.EndMs - window.StartMs)));

    /// <summary>One line per counted I/O, or with log_avg_msec one per direction of each window that had I/O.</summary>
    private string Log(IEnumerable<Sample> samples, Func<Sample, long> perIo, Func<Window, List<Sample>, long> perWindow)
    {
        var text = new StringBuilder();
        if (_job.LogAverageMs == 0)
        {
            foreach (Sample s in samples)
                Line(text, s.SinceEpochNs / 1_000_000, perIo(s), s.Direction, s.Bytes, s.Offset);
            return text.ToString();
        }
        foreach (Window window in Windows(samples))
            foreach ((int direction, List<Sample> inWindow) in window.ByDirection)
                Line(text, window.EndMs, perWindow(window, inWindow), direction, 0, 0);
        return text.ToString();
    }

    /// <summary>The log_avg_msec windows that hold samples, in time order, each with its samples by direction (reads first).</summary>
    private IEnumerable<Window> Windows(IEnumerable<Sample> samples)
    {
        long width = _job.LogAverageMs;
        var ordered = samples.OrderBy(s => s.SinceEpochNs).ToList();
        if (ordered.Count == 0)
            yield break;
        long lastMs = ordered[^1].SinceEpochNs / 1_000_000;
        foreach (var group in ordered.GroupBy(s => s.SinceEpochNs / 1_000_000 / width))
        {
            long start = group.Key * width;
            long end = Math.Min(start + width, Math.Max(lastMs, start + 1));
            yield return new Window(start, end,
                [.. group.GroupBy(s => s.Direction).OrderBy(d => d.Key).Select(d => (d.Key, d.ToList()))]);
        }
    }

    private void Line(StringBuilder text, long timeMs, long value, int direction, long bytes, long offset)
    {
        text.Append(CultureInfo.InvariantCulture, $"{timeMs}, {value}, {direction}, {bytes}");
        if (_job.LogOffset)
            text.Append(CultureInfo.InvariantCulture, $", {offset}");
        text.Append(", 0\n");
    }

    private readonly record struct Sample(long SinceEpochNs, int Direction, int Bytes, long Offset, long? SlatNs, long ClatNs);

    private sealed record Window(long StartMs, long EndMs, IReadOnlyList<(int Direction, List<Sample> Samples)> ByDirection);
}

/// <summary>One fio log file of a finished run: where fio would write it, its text, and the job it belongs to.</summary>
public readonly record struct FioLogFile(string Path, string Text, string Job)
{
    /// <summary>
    /// Writes <paramref name="logs"/>, each at its own path or where <paramref name="place"/> puts it; a file that
    /// cannot be written stops the command (exit status 1) naming the job and the path.
    /// </summary>
    public static void WriteAll(IEnumerable<FioLogFile> logs, Func<string, string>? place = null)
    {
        foreach (FioLogFile log in logs)
        {
            string path = place?.Invoke(log.Path) ?? log.Path;
            try
            {
                File.WriteAllText(path, log.Text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"{log.Job}: cannot write the log {path}: {e.Message}", 1);
            }
        }
    }
}
