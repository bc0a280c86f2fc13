using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hardware.Cli.Commands;
using Hardware.Emulator.Media;

namespace Hardware.Cli.Tests.Study;

/// <summary>
/// `hwstack study` end to end with shortened workloads (fractions of a second of virtual time) so the whole class
/// stays within a few seconds of wall time.
/// </summary>
public sealed class StudyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-study-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private string Study(string name, params string[] args)
    {
        string outDir = Path.Combine(_directory, name);
        var (exit, output, error) = Run(["study", "--out", outDir, .. args]);
        Assert.True(exit == 0 && error.Length == 0, $"study exited {exit}: {error}\n{output}");
        return outDir;
    }

    private static JsonElement[] Runs(string outDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json"))).RootElement.GetProperty("runs").EnumerateArray().ToArray();

    [Fact]
    public void A_short_default_study_writes_the_report_results_and_a_trace_per_run()
    {
        string outDir = Path.Combine(_directory, "default");
        var (exit, output, error) = Run("study", "--runtime", "150ms", "--schedulers", "none,mq-deadline,sstf", "--out", outDir);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("reader-1", output);
        Assert.Contains("seek (sectors)", output);
        Assert.Contains("[3/3] sstf", output);

        JsonElement[] runs = Runs(outDir);
        Assert.Equal(["none", "mq-deadline", "sstf"], runs.Select(r => r.GetProperty("scheduler").GetString()));
        foreach (JsonElement run in runs)
        {
            Assert.Equal(0, run.GetProperty("errors").GetInt64());
            Assert.Equal(["reader-1", "reader-2", "reader-3", "reader-4", "streamer", "writer"],
                run.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()));
            Assert.All(run.GetProperty("jobs").EnumerateArray(), job => Assert.True(job.GetProperty("ios").GetInt64() > 0, job.ToString()));
            Assert.True(run.GetProperty("seek_sectors").GetInt64() > 0);
            Assert.Equal(0, run.GetProperty("trace_events_lost").GetInt64());
            string trace = Path.Combine(outDir, run.GetProperty("trace_file").GetString()!);
            Assert.True(new FileInfo(trace).Length > 0, trace);
        }

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToList();
        Assert.Equal(2 + 3 * 3, svgs.Count);
        Assert.Contains("hdd-7200", html);
        Assert.Contains("ext2", html);
    }

    [OracleFact("blkparse")]
    public void Blkparse_reads_the_trace_of_each_run()
    {
        string outDir = Study("blkparse", "--runtime", "100ms", "--schedulers", "none,bfq");
        foreach (JsonElement run in Runs(outDir))
        {
            string name = run.GetProperty("trace_file").GetString()![..^".blktrace.0".Length];
            var start = new ProcessStartInfo("blkparse", ["-i", Path.Combine(outDir, name)]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process blkparse = Process.Start(start)!;
            Task<string> errors = blkparse.StandardError.ReadToEndAsync();
            string parsed = blkparse.StandardOutput.ReadToEnd();
            blkparse.WaitForExit();
            Assert.True(blkparse.ExitCode == 0, errors.Result);
            Assert.Contains(" D ", parsed);
            Assert.Contains(" C ", parsed);
            Assert.Contains("[reader-1", parsed);
            long issued = run.GetProperty("issued_requests").GetInt64();
            // blkparse counts every dispatch, flushes too: at least the data requests the study counted.
            Assert.True(Regex.Matches(parsed, @"^\s*8,0\s+\d+\s+\d+\s+[\d.]+\s+\d+\s+D ", RegexOptions.Multiline).Count >= issued);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_results_apart_from_wall_times()
    {
        static string Figures(string outDir) => string.Join("\n",
            File.ReadAllLines(Path.Combine(outDir, "results.json")).Where(line => !line.Contains("\"wall_seconds\"")));
        string first = Study("first", "--runtime", "100ms", "--schedulers", "none,kyber", "--seed", "3");
        string second = Study("second", "--runtime", "100ms", "--schedulers", "none,kyber", "--seed", "3");
        Assert.Equal(Figures(first), Figures(second));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "none.blktrace.0")), File.ReadAllBytes(Path.Combine(second, "none.blktrace.0")));
    }

    /// <summary>
    /// The textbook claim, on the setup where the elevator holds the queue: a disk without NCQ (with NCQ the drive
    /// itself reorders 32 commands and decides the reads' fate; docs/study.md). Behind a writer keeping 64 writes
    /// queued, none serves reads in arrival order behind the writes; mq-deadline sends reads first.
    /// </summary>
    [Fact]
    public void Mq_deadline_bounds_the_worst_read_latency_under_a_heavy_writer_better_than_none()
    {
        Assert.True(DevicePresets.TryGet("hdd-7200", out DeviceProfile? preset));
        string device = Path.Combine(_directory, "hdd-no-ncq.json");
        File.WriteAllText(device, DeviceProfileJson.Serialize(preset! with { Name = "hdd-7200-no-ncq", NcqDepth = 0 }));
        string job = Path.Combine(_directory, "heavy-writer.fio");
        File.WriteAllText(job, """
            [global]
            runtime=400ms
            time_based
            direct=1
            [reader]
            rw=randread
            filename=/dev/sda
            size=8g
            numjobs=2
            [writer]
            rw=randwrite
            bs=64k
            filename=/dev/sda
            offset=8g
            size=8g
            ioengine=libaio
            iodepth=64
            """);
        JsonElement[] runs = Runs(Study("direction", "--job", job, "--device", device, "--schedulers", "none,mq-deadline"));
        long ReadMax(JsonElement run) => run.GetProperty("read_latency_ns").GetProperty("max").GetInt64();
        Assert.True(ReadMax(runs[1]) * 2 < ReadMax(runs[0]), $"mq-deadline read max {ReadMax(runs[1])} ns, none {ReadMax(runs[0])} ns");
    }

    [Fact]
    public void Fio_logs_of_a_study_job_land_beside_each_runs_trace_named_after_its_scheduler()
    {
        string job = Path.Combine(_directory, "logged.fio");
        File.WriteAllText(job, "[r]\nfilename=/dev/sda\nrw=randread\ndirect=1\nnumber_ios=10\nwrite_iops_log=r\n");
        string outDir = Study("logs", "--job", job, "--schedulers", "none,mq-deadline");
        foreach (string scheduler in new[] { "none", "mq-deadline" })
            Assert.Equal(10, File.ReadAllLines(Path.Combine(outDir, $"{scheduler}.r_iops.1.log")).Length);
        Assert.False(File.Exists("r_iops.1.log"), "a study writes no log into the current directory");
    }

    [Theory]
    [InlineData("--schedulers", "none,cfq", "unknown scheduler 'cfq'")]
    [InlineData("--schedulers", "none,,bfq", "an empty name")]
    [InlineData("--schedulers", "mq-deadline:fifo_batch=-1", "fifo_batch")]
    [InlineData("--runtime", "soon", "--runtime soon")]
    [InlineData("--runtime", "0", "more than 0")]
    [InlineData("--nr-requests", "3", "--nr-requests 3: a queue holds at least 4 requests")]
    [InlineData("--device", "no-such-disk", "no-such-disk")]
    [InlineData("--job", "/no/such/file.fio", "/no/such/file.fio")]
    public void Bad_arguments_are_one_line_and_exit_status_2(string option, string value, string message)
    {
        var (exit, output, error) = Run("study", option, value, "--out", Path.Combine(_directory, "bad"));
        Assert.Equal(2, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("hwstack: ", error);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.Equal("", output);
    }

    [Fact]
    public void Tunables_in_the_scheduler_list_stay_with_their_scheduler()
    {
        Assert.Equal(["none", "mq-deadline:fifo_batch=1,read_expire=100ms", "bfq"],
            StudyCommand.ParseSchedulers("none, mq-deadline:fifo_batch=1,read_expire=100ms, bfq"));
    }
}
