using System.Reflection;
using System.Text.Json;

namespace Hardware.Cli.Workloads.Fio;

/// <summary>
/// fio's --output-format=json with fio's field names, so tools that read fio's JSON read hwstack's: "fio version",
/// "global options", "jobs" (jobname, groupid, error, "job options", read/write/trim with io_bytes, io_kbytes, bw_bytes,
/// bw, iops, runtime, total_ios, short_ios, drop_ios, slat_ns/clat_ns/lat_ns, "sync", job_runtime), plus an
/// "hwstack" object with the run's virtual and wall time, event count, device and scheduler. Wall-clock fields fio
/// has (timestamp, time) are left out so that the same seed gives the same document apart from wall_seconds.
/// </summary>
public static class FioJsonWriter
{
    public static string Version { get; } =
        "hwstack-" + (typeof(FioJsonWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(FioJsonWriter).Assembly.GetName().Version?.ToString(3) ?? "0");

    public static string Write(WorkloadResult result, MachineSpec machine)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            Write(json, result, machine);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter json, WorkloadResult result, MachineSpec machine)
    {
        json.WriteStartObject();
        json.WriteString("fio version", Version);
        json.WriteStartObject("global options");
        json.WriteEndObject();
        json.WriteStartArray("jobs");
        foreach (JobResult job in result.Jobs)
            WriteJob(json, job);
        json.WriteEndArray();
        json.WriteStartObject("hwstack");
        json.WriteNumber("virtual_seconds", result.VirtualSeconds);
        json.WriteNumber("wall_seconds", result.WallSeconds);
        json.WriteNumber("events", result.Events);
        json.WriteString("device", result.Device);
        json.WriteString("scheduler", result.Scheduler);
        json.WriteNumber("nr_requests", result.NrRequests);
        json.WriteString("filesystem", machine.FileSystem switch
        {
            FileSystemKind.Ext2 => "ext2",
            FileSystemKind.RamFs => "ramfs",
            _ => "none",
        });
        json.WriteNumber("seed", machine.Seed);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteJob(Utf8JsonWriter json, JobResult job)
    {
        JobSpec spec = job.Spec;
        json.WriteStartObject();
        json.WriteString("jobname", job.Name);
        json.WriteNumber("groupid", job.GroupId);
        json.WriteNumber("error", job.FirstErrno);
        if (job.FirstError is not null)
            json.WriteString("hwstack_error", job.FirstError);
        json.WriteStartObject("job options");
        foreach ((string name, string value) in JobOptions(spec))
            json.WriteString(name, value);
        json.WriteEndObject();
        WriteDirection(json, "read", job.Read);
        WriteDirection(json, "write", job.Write);
        WriteDirection(json, "trim", Empty);
        json.WriteStartObject("sync");
        WriteLatency(json, "lat_ns", job.Sync ?? Empty.Lat, percentiles: false);
        json.WriteNumber("total_ios", job.Sync?.Count ?? 0);
        json.WriteEndObject();
        json.WriteNumber("job_runtime", Math.Max(job.Read.RuntimeMs, job.Write.RuntimeMs));
        json.WriteEndObject();
    }

    /// <summary>The options as fio would list them (values as text), for the record.</summary>
    public static IEnumerable<(string Name, string Value)> JobOptions(JobSpec spec)
    {
        yield return ("rw", spec.Pattern switch
        {
            IoPattern.Read => "read",
            IoPattern.Write => "write",
            IoPattern.RandRead => "randread",
            IoPattern.RandWrite => "randwrite",
            IoPattern.ReadWrite => "rw",
            _ => "randrw",
        });
        yield return spec.BlockSizes.Count == 1
            ? ("bs", spec.BlockSizes[0].Bytes.ToString())
            : ("bssplit", string.Join(':', spec.BlockSizes.Select(b => $"{b.Bytes}/{b.Percent}")));
        yield return ("ioengine", spec.EngineName);
        yield return ("iodepth", spec.IoDepth.ToString());
        yield return ("numjobs", spec.NumJobs.ToString());
        yield return ("direct", spec.Direct ? "1" : "0");
        if (spec.FileName is not null)
            yield return ("filename", spec.FileName);
        if (spec.Directory is not null)
            yield return ("directory", spec.Directory);
        if (spec.Size > 0)
            yield return ("size", spec.Size.ToString());
        if (spec.SizePercent > 0)
            yield return ("size", $"{spec.SizePercent}%");
        if (spec.RuntimeNs > 0)
            yield return ("runtime", $"{spec.RuntimeNs / 1000}us");
        if (spec.TimeBased)
            yield return ("time_based", "1");
        if (spec.EndFsync)
            yield return ("end_fsync", "1");
        if (spec.FsyncOnClose)
            yield return ("fsync_on_close", "1");
        if (spec.RandomDistribution.Kind != OffsetDistributionKind.Random)
            yield return ("random_distribution", spec.RandomDistribution.ToString());
        if (spec.PercentageRandom < 100)
            yield return ("percentage_random", spec.PercentageRandom.ToString());
    }

    private static readonly LatencyStats NoLatency = new(0, 0, 0, 0, 0, new Dictionary<string, long>());

    private static readonly DirectionStats Empty = new() { Slat = NoLatency, Clat = NoLatency, Lat = NoLatency };

    private static void WriteDirection(Utf8JsonWriter json, string name, DirectionStats stats)
    {
        json.WriteStartObject(name);
        json.WriteNumber("io_bytes", stats.IoBytes);
        json.WriteNumber("io_kbytes", stats.IoBytes / 1024);
        json.WriteNumber("bw_bytes", stats.BandwidthBytes);
        json.WriteNumber("bw", stats.BandwidthBytes / 1024);
        json.WriteNumber("iops", stats.Iops);
        json.WriteNumber("runtime", stats.RuntimeMs);
        json.WriteNumber("total_ios", stats.TotalIos);
        json.WriteNumber("short_ios", 0);
        json.WriteNumber("drop_ios", 0);
        WriteLatency(json, "slat_ns", stats.Slat, percentiles: false);
        WriteLatency(json, "clat_ns", stats.Clat, percentiles: true);
        WriteLatency(json, "lat_ns", stats.Lat, percentiles: false);
        json.WriteEndObject();
    }

    /// <summary>fio's latency object; percentiles go with clat_ns, as fio's default clat_percentiles=1 puts them.</summary>
    private static void WriteLatency(Utf8JsonWriter json, string name, LatencyStats stats, bool percentiles)
    {
        json.WriteStartObject(name);
        json.WriteNumber("min", stats.Min);
        json.WriteNumber("max", stats.Max);
        json.WriteNumber("mean", stats.Mean);
        json.WriteNumber("stddev", stats.StdDev);
        json.WriteNumber("N", stats.Count);
        if (percentiles)
        {
            json.WriteStartObject("percentile");
            foreach (double p in LatencyLog.FioPercentiles)
                json.WriteNumber(LatencyLog.Key(p), stats.Percentiles.GetValueOrDefault(LatencyLog.Key(p)));
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
