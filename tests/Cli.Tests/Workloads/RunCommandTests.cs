using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hardware.Cli.Commands;

namespace Hardware.Cli.Tests.Workloads;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string JobFile(string text, string name = "job.fio")
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private const string RandomReads = """
        [global]
        filename=/dev/sda
        rw=randread
        bs=4k
        direct=1
        ioengine=libaio
        iodepth=4
        runtime=300ms
        [reader]
        """;

    [Fact]
    public void Json_output_has_fio_field_names_and_an_hwstack_object()
    {
        var (exit, output, error) = Run("run", JobFile(RandomReads), "--output-format", "json");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement root = document.RootElement;
        Assert.StartsWith("hwstack-", root.GetProperty("fio version").GetString());
        JsonElement job = root.GetProperty("jobs")[0];
        Assert.Equal("reader", job.GetProperty("jobname").GetString());
        Assert.Equal(0, job.GetProperty("groupid").GetInt32());
        Assert.Equal(0, job.GetProperty("error").GetInt32());
        Assert.Equal("randread", job.GetProperty("job options").GetProperty("rw").GetString());
        JsonElement read = job.GetProperty("read");
        foreach (string field in new[] { "io_bytes", "io_kbytes", "bw_bytes", "bw", "iops", "runtime", "total_ios", "short_ios", "drop_ios" })
            Assert.True(read.TryGetProperty(field, out _), field);
        long ios = read.GetProperty("total_ios").GetInt64();
        Assert.True(ios > 20);
        Assert.Equal(ios * 4096, read.GetProperty("io_bytes").GetInt64());
        foreach (string latency in new[] { "slat_ns", "clat_ns", "lat_ns" })
        {
            JsonElement stats = read.GetProperty(latency);
            foreach (string field in new[] { "min", "max", "mean", "stddev", "N" })
                Assert.True(stats.TryGetProperty(field, out _), $"{latency}.{field}");
            Assert.Equal(ios, stats.GetProperty("N").GetInt64());
        }
        JsonElement percentiles = read.GetProperty("clat_ns").GetProperty("percentile");
        Assert.Equal(17, percentiles.EnumerateObject().Count());
        long p50 = percentiles.GetProperty("50.000000").GetInt64();
        long p99 = percentiles.GetProperty("99.000000").GetInt64();
        Assert.InRange(p50, 1, p99);
        Assert.True(p99 <= read.GetProperty("clat_ns").GetProperty("max").GetInt64());
        Assert.Equal(0, job.GetProperty("write").GetProperty("total_ios").GetInt64());
        JsonElement hwstack = root.GetProperty("hwstack");
        Assert.Equal("hdd-7200", hwstack.GetProperty("device").GetString());
        Assert.Equal("mq-deadline", hwstack.GetProperty("scheduler").GetString());
        Assert.InRange(hwstack.GetProperty("virtual_seconds").GetDouble(), 0.3, 1);
        Assert.True(hwstack.GetProperty("events").GetInt64() > 0);
        Assert.True(hwstack.GetProperty("wall_seconds").GetDouble() > 0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_json_apart_from_wall_seconds()
    {
        string job = JobFile(RandomReads.Replace("rw=randread", "rw=randrw"));
        static string Deterministic(string json) => Regex.Replace(json, "\"wall_seconds\": [0-9.eE+-]+", "");
        string first = Run("run", job, "--output-format", "json", "--seed", "7").Output;
        string second = Run("run", job, "--output-format", "json", "--seed", "7").Output;
        Assert.Contains("wall_seconds", first);
        Assert.Equal(Deterministic(first), Deterministic(second));
    }

    [Theory]
    [InlineData("ext2")]
    [InlineData("ramfs")]
    public void A_writer_that_fsyncs_runs_on_a_file_of_the_mounted_filesystem(string fs)
    {
        string job = JobFile("""
            [global]
            size=1m
            bs=4k
            [writer]
            rw=write
            fsync=32
            filename=/data/log
            [reader]
            rw=read
            directory=/in
            """);
        var (exit, output, error) = Run("run", job, "--fs", fs, "--output-format", "json");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement writer = document.RootElement.GetProperty("jobs")[0];
        Assert.Equal(256, writer.GetProperty("write").GetProperty("total_ios").GetInt64());
        Assert.Equal(8, writer.GetProperty("sync").GetProperty("total_ios").GetInt64());
        JsonElement reader = document.RootElement.GetProperty("jobs")[1];
        Assert.Equal(1 << 20, reader.GetProperty("read").GetProperty("io_bytes").GetInt64());
        Assert.Equal(fs, document.RootElement.GetProperty("hwstack").GetProperty("filesystem").GetString());
    }

    [Fact]
    public void Fsync_on_ext2_costs_disk_time_while_buffered_writes_do_not()
    {
        string job = JobFile("[w]\nrw=write\nsize=512k\nfsync=16\nfilename=/f\n");
        var (exit, output, _) = Run("run", job, "--fs", "ext2", "--output-format", "json");
        Assert.Equal(0, exit);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement writer = document.RootElement.GetProperty("jobs")[0];
        Assert.True(writer.GetProperty("sync").GetProperty("lat_ns").GetProperty("mean").GetDouble() > 1e6);
        Assert.True(writer.GetProperty("write").GetProperty("clat_ns").GetProperty("mean").GetDouble() < 1e5);
    }

    [Fact]
    public void Direct_io_on_an_ext2_file_goes_past_the_page_cache_to_the_disk()
    {
        string job = JobFile("[w]\nrw=randrw\nsize=256k\nbs=4k\ndirect=1\nioengine=libaio\niodepth=4\nnumber_ios=64\nfilename=/f\n");
        var (exit, output, _) = Run("run", job, "--fs", "ext2", "--device", "ram", "--output-format", "json");
        Assert.Equal(0, exit);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement writer = document.RootElement.GetProperty("jobs")[0];
        Assert.Equal(0, writer.GetProperty("error").GetInt32());
        long ios = writer.GetProperty("read").GetProperty("total_ios").GetInt64() + writer.GetProperty("write").GetProperty("total_ios").GetInt64();
        Assert.Equal(64, ios);
        // Every I/O waited for the device: no completion is as fast as a page-cache hit or a dirtied page.
        Assert.True(writer.GetProperty("read").GetProperty("clat_ns").GetProperty("min").GetDouble() > 10_000);
        Assert.True(writer.GetProperty("write").GetProperty("clat_ns").GetProperty("min").GetDouble() > 10_000);
    }

    [Fact]
    public void A_misaligned_direct_read_stops_the_job_with_fios_io_u_error_line_and_exits_1()
    {
        string job = JobFile("[r]\nrw=read\nsize=64k\nbs=1000\ndirect=1\nfilename=/f\n");
        var (exit, output, _) = Run("run", job, "--fs", "ext2", "--device", "ram");
        Assert.Equal(1, exit);
        Assert.Contains("err=22", output);
        Assert.Contains("io_u error on file /mnt/f: Invalid argument: read offset=0, buflen=1000", output);
    }

    [Fact]
    public void Nr_requests_bounds_the_requests_a_writeback_flood_may_queue_and_below_four_is_refused()
    {
        string job = JobFile("[w]\nfilename=/f\nrw=randwrite\nsize=16m\nnumber_ios=3000\nend_fsync=1\n");
        long Events(string nrRequests)
        {
            var (exit, output, _) = Run("run", job, "--fs", "ext2", "--nr-requests", nrRequests, "--output-format", "json");
            Assert.Equal(0, exit);
            using JsonDocument document = JsonDocument.Parse(output);
            JsonElement hwstack = document.RootElement.GetProperty("hwstack");
            Assert.Equal(int.Parse(nrRequests), hwstack.GetProperty("nr_requests").GetInt32());
            return hwstack.GetProperty("events").GetInt64();
        }
        // Fewer requests to hold means more, shorter writeback rounds: the run is a different one.
        Assert.NotEqual(Events("4"), Events("256"));
        var (refused, _, error) = Run("run", job, "--nr-requests", "3");
        Assert.Equal(2, refused);
        Assert.Equal("hwstack: --nr-requests 3: a queue holds at least 4 requests (BLKDEV_MIN_RQ)", error.Trim());
    }

    [Fact]
    public void Direct_io_on_a_ramfs_file_is_refused_as_the_kernel_refuses_it_and_exits_1()
    {
        string job = JobFile("[w]\nrw=read\nsize=64k\ndirect=1\nfilename=/f\n");
        var (exit, output, _) = Run("run", job, "--fs", "ramfs");
        Assert.Equal(1, exit);
        Assert.Contains("err=22", output);
        Assert.Contains("O_DIRECT", output);
    }

    [Fact]
    public void A_folder_of_job_files_runs_as_a_suite_with_one_table()
    {
        JobFile(RandomReads, "a-random.fio");
        JobFile("[seq]\nfilename=/dev/sda\nrw=read\nbs=128k\nsize=4m\n", "b-sequential.fio");
        JobFile("not a job file", "notes.txt");
        var (exit, output, error) = Run("run", _directory, "--no-color");
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("a-random.fio", output);
        Assert.Contains("b-sequential.fio", output);
        Assert.Contains("2 job files", output);
        Assert.DoesNotContain("notes.txt", output);
    }

    [OracleFact("blkparse")]
    public void The_trace_file_is_read_by_blkparse()
    {
        string trace = Path.Combine(_directory, "run");
        var (exit, _, error) = Run("run", JobFile(RandomReads), "--trace", trace);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var start = new ProcessStartInfo("blkparse", ["-i", trace]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process blkparse = Process.Start(start)!;
        string parsed = blkparse.StandardOutput.ReadToEnd();
        blkparse.WaitForExit();
        Assert.Equal(0, blkparse.ExitCode);
        Assert.True(File.Exists(trace + ".blktrace.0"));
        Assert.Matches(@"\s8,0\s+0\s+\d+\s+[\d.]+\s+100\s+D\s+RS?\s+\d+ \+ 8 \[reader\.0\]", parsed);
        Assert.Contains(" C ", parsed);
    }

    [OracleFact("e2fsck")]
    public void With_an_image_ext2_is_made_once_and_kept_and_e2fsck_finds_it_clean()
    {
        string image = Path.Combine(_directory, "disk.img");
        using (FileStream file = File.Create(image))
            file.SetLength(64L << 20);
        foreach (string name in new[] { "x", "y" })
        {
            string job = JobFile($"[w]\nrw=randwrite\nsize=512k\nfsync=8\nfilename=/data/{name}\n");
            var (exit, _, error) = Run("run", job, "--fs", "ext2", "--image", image, "--device", "ram");
            Assert.Equal("", error);
            Assert.Equal(0, exit);
        }
        var start = new ProcessStartInfo("e2fsck", ["-fn", image]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process e2fsck = Process.Start(start)!;
        string report = e2fsck.StandardOutput.ReadToEnd();
        e2fsck.WaitForExit();
        Assert.Equal(0, e2fsck.ExitCode);
        // Inodes 1-10 are reserved and 11 is lost+found; /data, x and y (x kept from the first run) make 14.
        Assert.Contains("14/", report);
    }

    [Theory]
    [InlineData("--fs", "xfs")]
    [InlineData("--output-format", "csv")]
    [InlineData("--device", "no-such-disk")]
    [InlineData("--scheduler", "no-such-elevator")]
    public void A_bad_argument_is_one_line_and_exit_status_2(string option, string value)
    {
        var (exit, output, error) = Run("run", JobFile(RandomReads), option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("hwstack: ", error);
    }

    [Fact]
    public void A_bad_job_file_is_one_line_with_its_line_number_and_exit_status_2()
    {
        var (exit, output, error) = Run("run", JobFile("[j]\nfilename=/dev/sda\nverify=crc32c\n"));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("job.fio:3: option 'verify' is not supported", error);
    }

    [Fact]
    public void A_file_job_without_a_filesystem_or_an_unknown_device_is_refused_with_exit_status_2()
    {
        var (exit, _, error) = Run("run", JobFile("[j]\nfilename=/data\nsize=1m\n"));
        Assert.Equal(2, exit);
        Assert.Contains("--fs ext2|ramfs", error);
        (exit, _, error) = Run("run", JobFile("[j]\nfilename=/dev/sdz\n"));
        Assert.Equal(2, exit);
        Assert.Contains("/dev/sdz: no such block device", error);
    }
}
