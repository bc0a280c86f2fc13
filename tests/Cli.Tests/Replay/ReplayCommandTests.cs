using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hardware.Cli.Tests.Replay;

public sealed class ReplayCommandTests : IDisposable
{
    private const long FiletimeOrigin = 128166372000000000;

    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>An MSR trace of random 4 KiB I/Os over the first 8 GiB, one every <paramref name="gapTicks"/> (100 ns ticks).</summary>
    private string MsrTrace(int count, long gapTicks, int writePercent = 30, string name = "hm_1.csv")
    {
        var random = new Random(7);
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string type = random.Next(100) < writePercent ? "Write" : "Read";
            long offset = random.NextInt64(0, 8L << 30) / 4096 * 4096;
            text.Append(CultureInfo.InvariantCulture, $"{FiletimeOrigin + i * gapTicks},hm,1,{type},{offset},4096,1000\n");
        }
        return File(name, text.ToString());
    }

    private static JsonElement Replay(params string[] args)
    {
        var (exit, output, error) = CliRun.Run(["replay", .. args, "--output-format", "json"]);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static long TotalIos(JsonElement root) =>
        root.GetProperty("jobs")[0].GetProperty("read").GetProperty("total_ios").GetInt64()
        + root.GetProperty("jobs")[0].GetProperty("write").GetProperty("total_ios").GetInt64();

    private static long IoBytes(JsonElement root) =>
        root.GetProperty("jobs")[0].GetProperty("read").GetProperty("io_bytes").GetInt64()
        + root.GetProperty("jobs")[0].GetProperty("write").GetProperty("io_bytes").GetInt64();

    [Fact]
    public void An_msr_trace_replayed_open_loop_on_ram_completes_every_io_in_about_the_trace_s_span()
    {
        // 200 I/Os 1 ms apart: the last is due at 199 ms, and a RAM disk finishes each in microseconds.
        JsonElement root = Replay(MsrTrace(200, 10_000), "--device", "ram");
        JsonElement hwstack = root.GetProperty("hwstack");
        Assert.Equal(200, TotalIos(root));
        Assert.Equal(200 * 4096, IoBytes(root));
        Assert.Equal(200, hwstack.GetProperty("ios").GetInt64());
        Assert.Equal("open", hwstack.GetProperty("mode").GetString());
        Assert.Equal(0, hwstack.GetProperty("behind_schedule_max_ns").GetInt64());
        Assert.Equal("hm_1.csv", root.GetProperty("jobs")[0].GetProperty("jobname").GetString());
        double seconds = hwstack.GetProperty("virtual_seconds").GetDouble();
        Assert.InRange(seconds, 0.199, 0.201);
    }

    [Fact]
    public void Speed_2_replays_the_trace_in_half_its_span()
    {
        JsonElement root = Replay(MsrTrace(100, 10_000), "--device", "ram", "--speed", "2");
        Assert.InRange(root.GetProperty("hwstack").GetProperty("virtual_seconds").GetDouble(), 0.0495, 0.0505);
    }

    [Fact]
    public void Closed_loop_at_depth_8_on_an_ncq_disk_finishes_sooner_than_at_depth_1()
    {
        string trace = MsrTrace(120, 10_000);
        JsonElement one = Replay(trace, "--mode", "closed", "--depth", "1", "--device", "hdd-7200");
        JsonElement eight = Replay(trace, "--mode", "closed", "--depth", "8", "--device", "hdd-7200");
        Assert.Equal(120, TotalIos(one));
        Assert.Equal(120, TotalIos(eight));
        Assert.Equal(8, eight.GetProperty("hwstack").GetProperty("depth").GetInt32());
        double depthOne = one.GetProperty("hwstack").GetProperty("virtual_seconds").GetDouble();
        double depthEight = eight.GetProperty("hwstack").GetProperty("virtual_seconds").GetDouble();
        Assert.True(depthEight < depthOne * 0.8, $"depth 8 took {depthEight} s, depth 1 {depthOne} s");
    }

    [Fact]
    public void An_open_loop_capped_below_what_the_disk_needs_falls_behind_schedule_and_counts_latency_from_the_trace_time()
    {
        // An I/O every 0.1 ms is far more than a 7200 rpm disk serves; two in flight at most makes submissions wait.
        JsonElement root = Replay(MsrTrace(60, 1_000, writePercent: 0), "--depth", "2", "--device", "hdd-7200");
        long behind = root.GetProperty("hwstack").GetProperty("behind_schedule_max_ns").GetInt64();
        Assert.True(behind > 10_000_000, $"behind by {behind} ns");
        JsonElement read = root.GetProperty("jobs")[0].GetProperty("read");
        Assert.True(read.GetProperty("lat_ns").GetProperty("max").GetInt64() >= behind);
        Assert.True(read.GetProperty("lat_ns").GetProperty("mean").GetDouble() > read.GetProperty("clat_ns").GetProperty("mean").GetDouble());
        Assert.Equal(2, root.GetProperty("hwstack").GetProperty("peak_in_flight").GetInt32());
    }

    [Fact]
    public void The_disk_grows_to_hold_an_offset_past_its_default_16_gib()
    {
        string trace = File("far.csv", $"{FiletimeOrigin},hm,1,Write,{40L << 30},4096,1\n{FiletimeOrigin + 10},hm,1,Read,{40L << 30},4096,1\n");
        JsonElement root = Replay(trace, "--device", "ram");
        Assert.Equal(2, TotalIos(root));
        Assert.Equal(0, root.GetProperty("jobs")[0].GetProperty("error").GetInt32());
    }

    [Fact]
    public void An_unaligned_io_is_widened_to_whole_logical_blocks()
    {
        // The ram preset has 512-byte logical blocks: bytes 700..1699 lie in the blocks [512, 2048).
        JsonElement root = Replay(File("odd.csv", $"{FiletimeOrigin},hm,1,Read,700,1000,1\n"), "--device", "ram");
        Assert.Equal(1536, IoBytes(root));
    }

    [Fact]
    public void The_same_seed_gives_the_same_json_apart_from_wall_seconds()
    {
        string trace = MsrTrace(80, 5_000, writePercent: 50);
        string first = Normalised(Replay(trace, "--seed", "5", "--scheduler", "bfq"));
        string second = Normalised(Replay(trace, "--seed", "5", "--scheduler", "bfq"));
        Assert.Equal(first, second);
        Assert.Contains("\"behind_schedule_max_ns\"", first);

        static string Normalised(JsonElement root)
        {
            JsonNode node = JsonNode.Parse(root.GetRawText())!;
            node["hwstack"]!.AsObject().Remove("wall_seconds");
            return node.ToJsonString();
        }
    }

    [Fact]
    public void Text_output_has_fio_s_read_and_write_sections_and_a_replay_line()
    {
        var (exit, output, error) = CliRun.Run("replay", MsrTrace(40, 10_000), "--device", "ssd-sata", "--mode", "closed", "--depth", "4");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("  read: IOPS=", output);
        Assert.Contains("  write: IOPS=", output);
        Assert.Contains("clat percentiles", output);
        Assert.Contains("replay: 40 I/Os of hm_1.csv, closed loop, depth 4", output);
    }

    [Fact]
    public void A_bad_trace_line_is_one_line_with_its_number_and_exit_status_2()
    {
        string trace = File("bad.csv", $"{FiletimeOrigin},hm,1,Read,0,4096,1\n{FiletimeOrigin + 1},hm,1,Trim,0,4096,1\n");
        var (exit, output, error) = CliRun.Run("replay", trace);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("hwstack: ", error);
        Assert.Contains("bad.csv line 2: Type 'Trim' is neither Read nor Write", error);
    }

    [Theory]
    [InlineData("--speed", "0")]
    [InlineData("--format", "xml")]
    [InlineData("--mode", "half")]
    [InlineData("--depth", "-1")]
    [InlineData("--device", "no-such-disk")]
    [InlineData("--scheduler", "no-such-elevator")]
    [InlineData("--nr-requests", "2")]
    public void A_bad_argument_is_one_line_and_exit_status_2(string option, string value)
    {
        var (exit, output, error) = CliRun.Run("replay", MsrTrace(4, 10), option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("hwstack: ", error);
    }

    [Fact]
    public void Closed_loop_rejects_depth_0_and_a_speed()
    {
        string trace = MsrTrace(4, 10);
        Assert.Equal(2, CliRun.Run("replay", trace, "--mode", "closed", "--depth", "0").Exit);
        Assert.Equal(2, CliRun.Run("replay", trace, "--mode", "closed", "--speed", "2").Exit);
    }

    [OracleFact("blkparse")]
    public void A_run_s_blkparse_trace_replays_with_the_run_s_io_count_and_bytes()
    {
        string job = File("mix.fio", """
            [mix]
            filename=/dev/sda
            rw=randrw
            bs=4k
            direct=1
            ioengine=libaio
            iodepth=4
            number_ios=150
            """);
        string blktrace = Path.Combine(_directory, "run");
        var (exit, output, error) = CliRun.Run("run", job, "--trace", blktrace, "--output-format", "json");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        JsonElement run = JsonDocument.Parse(output).RootElement;

        var start = new ProcessStartInfo("blkparse", ["-i", blktrace]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process blkparse = Process.Start(start)!;
        Task<string> stderr = blkparse.StandardError.ReadToEndAsync();
        string text = blkparse.StandardOutput.ReadToEnd();
        Assert.True(blkparse.WaitForExit(30_000), "blkparse did not finish");
        Assert.True(blkparse.ExitCode == 0, stderr.Result);
        string parsed = File("run.txt", text);

        JsonElement replay = Replay(parsed, "--mode", "closed", "--depth", "4");
        Assert.Equal(150, TotalIos(run));
        Assert.Equal(TotalIos(run), TotalIos(replay));
        Assert.Equal(IoBytes(run), IoBytes(replay));
        Assert.Equal(run.GetProperty("jobs")[0].GetProperty("write").GetProperty("io_bytes").GetInt64(),
            replay.GetProperty("jobs")[0].GetProperty("write").GetProperty("io_bytes").GetInt64());
    }
}
