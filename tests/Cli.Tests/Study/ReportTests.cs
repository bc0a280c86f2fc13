using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hardware.Cli.Study;

namespace Hardware.Cli.Tests.Study;

public class ReportTests
{
    [Fact]
    public void Results_json_has_the_documented_fields_per_run_and_job()
    {
        StudyResult study = SyntheticStudy.Create("none", "mq-deadline");
        using JsonDocument json = JsonDocument.Parse(ResultsJson.Write(study));
        JsonElement root = json.RootElement;
        Assert.Equal(ResultsJson.FormatVersion, root.GetProperty("format_version").GetInt32());
        Assert.Equal("hdd-7200", root.GetProperty("machine").GetProperty("device").GetString());
        Assert.Equal("ext2", root.GetProperty("machine").GetProperty("filesystem").GetString());
        Assert.Equal(7UL, root.GetProperty("machine").GetProperty("seed").GetUInt64());
        Assert.Equal("rw=write bs=128k ioengine=psync fsync=8",
            root.GetProperty("workload").GetProperty("jobs")[1].GetProperty("fio").GetString());

        JsonElement[] runs = root.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(["none", "mq-deadline"], runs.Select(r => r.GetProperty("scheduler").GetString()));
        foreach (string field in new[] { "virtual_seconds", "wall_seconds", "events", "errors", "seek_sectors", "seek_disk_share", "seeks",
                     "issued_requests", "merges", "max_queue_depth", "jain_index_iops", "read_latency_ns", "write_latency_ns", "trace_file",
                     "trace_events", "trace_events_lost", "jobs" })
            Assert.True(runs[0].TryGetProperty(field, out _), field);

        JsonElement reader = runs[1].GetProperty("jobs")[0];
        Assert.Equal("reader", reader.GetProperty("name").GetString());
        Assert.Equal(50, reader.GetProperty("ios").GetInt64());
        JsonElement latency = reader.GetProperty("latency_ns");
        Assert.Equal(3_000_000, latency.GetProperty("p50").GetInt64());
        foreach (string field in new[] { "count", "mean", "p50", "p99", "p99_9", "max" })
            Assert.True(latency.TryGetProperty(field, out _), field);
        Assert.Equal("writer <&>", runs[1].GetProperty("jobs")[1].GetProperty("name").GetString());
    }

    [Fact]
    public void The_report_is_self_contained_with_every_chart_as_well_formed_svg()
    {
        StudyResult study = SyntheticStudy.Create("none", "mq-deadline", "bfq");
        string html = HtmlReport.Write(study);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("src=", html);
        Assert.Contains("writer &lt;&amp;&gt;", html);
        Assert.Contains("rw=randread bs=4k ioengine=libaio iodepth=4", html);

        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();
        // CDF and data completed with all runs, then throughput, head position and queue depth per run.
        Assert.Equal(2 + 3 * 3, svgs.Count);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(["none", "mq-deadline", "bfq"],
            svgs[0].Descendants(ns + "g").Select(g => (string?)g.Attribute("data-series")).OfType<string>());
        Assert.Contains("Throughput: bfq", svgs[4].Element(ns + "title")!.Value);
        Assert.Contains("Head position: bfq", svgs[7].Element(ns + "title")!.Value);
        Assert.Contains("Queue depth: none", svgs[8].Element(ns + "title")!.Value);
    }

    [Fact]
    public void The_same_study_gives_the_same_files()
    {
        Assert.Equal(HtmlReport.Write(SyntheticStudy.Create("none", "sstf")), HtmlReport.Write(SyntheticStudy.Create("none", "sstf")));
        Assert.Equal(ResultsJson.Write(SyntheticStudy.Create("none", "sstf")), ResultsJson.Write(SyntheticStudy.Create("none", "sstf")));
    }
}
