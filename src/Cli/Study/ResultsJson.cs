using System.Text;
using System.Text.Json;
using Hardware.Cli.Workloads;

namespace Hardware.Cli.Study;

/// <summary>
/// results.json: the study's figures per run and per job under stable snake_case names (docs/study.md lists them).
/// Latencies are integer nanoseconds, rates per second of virtual time; only wall_seconds depends on the host.
/// </summary>
public static class ResultsJson
{
    /// <summary>Bumped when a field changes meaning or goes away (new fields do not bump it).</summary>
    public const int FormatVersion = 1;

    public static string Write(StudyResult study)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", FormatVersion);
            WriteMachine(json, study.Setup);
            WriteWorkload(json, study.Setup);
            json.WriteNumber("wall_seconds", study.WallSeconds);
            json.WriteStartArray("runs");
            foreach (RunMetrics run in study.Runs)
                WriteRun(json, run);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteMachine(Utf8JsonWriter json, StudySetup setup)
    {
        MachineSpec machine = setup.Machine;
        json.WriteStartObject("machine");
        json.WriteString("device", machine.Device);
        json.WriteString("device_summary", setup.DeviceSummary);
        json.WriteNumber("capacity_sectors", setup.CapacitySectors);
        json.WriteString("filesystem", machine.FileSystem switch
        {
            FileSystemKind.Ext2 => "ext2",
            FileSystemKind.RamFs => "ramfs",
            _ => "none",
        });
        json.WriteString("store", machine.ImagePath is null ? "sparse-memory" : machine.ImagePath);
        json.WriteNumber("seed", machine.Seed);
        json.WriteEndObject();
    }

    private static void WriteWorkload(Utf8JsonWriter json, StudySetup setup)
    {
        json.WriteStartObject("workload");
        json.WriteString("source", setup.WorkloadSource);
        json.WriteNumber("throughput_bucket_ns", setup.BucketNs);
        json.WriteStartArray("jobs");
        foreach (JobSpec job in setup.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("name", job.Name);
            json.WriteString("fio", JobText.Describe(job));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter json, RunMetrics run)
    {
        json.WriteStartObject();
        json.WriteString("scheduler", run.Scheduler);
        json.WriteNumber("virtual_seconds", run.VirtualSeconds);
        json.WriteNumber("wall_seconds", run.WallSeconds);
        json.WriteNumber("events", run.Events);
        json.WriteNumber("errors", run.Errors);
        if (run.FirstError is not null)
            json.WriteString("first_error", run.FirstError);
        json.WriteNumber("seek_sectors", run.Trace.SeekSectors);
        json.WriteNumber("seek_disk_share", run.SeekDiskShare);
        json.WriteNumber("seeks", run.Trace.Seeks);
        json.WriteNumber("issued_requests", run.Trace.IssuedRequests);
        json.WriteNumber("merges", run.Trace.Merges);
        json.WriteNumber("max_queue_depth", run.Trace.MaxQueueDepth);
        json.WriteNumber("jain_index_iops", run.JainIndex);
        WriteLatency(json, "read_latency_ns", run.ReadLatency);
        WriteLatency(json, "write_latency_ns", run.WriteLatency);
        if (run.TraceFile is null)
            json.WriteNull("trace_file");
        else
            json.WriteString("trace_file", run.TraceFile);
        json.WriteNumber("trace_events", run.TraceEvents);
        json.WriteNumber("trace_events_lost", run.TraceEventsLost);
        json.WriteStartArray("jobs");
        foreach (JobMetrics job in run.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("name", job.Name);
            json.WriteNumber("ios", job.Ios);
            json.WriteNumber("bytes", job.Bytes);
            json.WriteNumber("window_ns", job.WindowNs);
            json.WriteNumber("iops", job.Iops);
            json.WriteNumber("mb_per_s", job.MBps);
            WriteLatency(json, "latency_ns", job.Latency);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter json, string name, LatencySummary latency)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", latency.Count);
        json.WriteNumber("mean", latency.MeanNs);
        json.WriteNumber("p50", latency.P50Ns);
        json.WriteNumber("p99", latency.P99Ns);
        json.WriteNumber("p99_9", latency.P999Ns);
        json.WriteNumber("max", latency.MaxNs);
        json.WriteEndObject();
    }
}
