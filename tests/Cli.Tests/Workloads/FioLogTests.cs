using Hardware.Cli.Commands;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Tests.Workloads;

public sealed class FioLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwstack-fio-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs the jobs and writes their logs, as `hwstack run` does.</summary>
    private WorkloadResult Run(string jobFile)
    {
        WorkloadResult result = WorkloadRunner.Run(new MachineSpec { Device = "ram" }, JobFileParser.Parse(jobFile.Replace("DIR", _directory), "t.fio"));
        FioLogFile.WriteAll(result.Logs);
        return result;
    }

    private string[] Lines(string name) => File.ReadAllLines(Path.Combine(_directory, name));

    [Fact]
    public void Write_lat_log_writes_lat_clat_and_slat_files_with_one_line_per_io_in_fios_format()
    {
        WorkloadResult result = Run("[r]\nfilename=/dev/sda\nrw=randread\ndirect=1\nioengine=libaio\niodepth=2\nnumber_ios=20\nwrite_lat_log=DIR/job\n");
        string[] lat = Lines("job_lat.1.log");
        string[] clat = Lines("job_clat.1.log");
        string[] slat = Lines("job_slat.1.log");
        Assert.Equal(20, lat.Length);
        Assert.Equal(20, clat.Length);
        Assert.Equal(20, slat.Length);
        // time (ms), value (ns), direction, block size, priority
        string[] fields = lat[0].Split(", ");
        Assert.Equal(5, fields.Length);
        Assert.Equal(["0", "4096", "0"], fields[2..]);
        long latSum = lat.Sum(l => long.Parse(l.Split(", ")[1]));
        Assert.Equal(result.Jobs[0].Read.Lat.Mean * 20, latSum, 0);
        Assert.All(slat, line => Assert.Equal("1000", line.Split(", ")[1]));
        Assert.Equal(lat.Select(l => long.Parse(l.Split(", ")[1])),
            clat.Zip(slat).Select(p => long.Parse(p.First.Split(", ")[1]) + long.Parse(p.Second.Split(", ")[1])));
    }

    [Fact]
    public void A_synchronous_engine_has_an_empty_slat_log_as_fio_records_no_submission_latency_for_it()
    {
        Run("[r]\nfilename=/dev/sda\nrw=read\nnumber_ios=5\nwrite_lat_log=DIR/s\n");
        Assert.Empty(Lines("s_slat.1.log"));
        Assert.Equal(Lines("s_lat.1.log"), Lines("s_clat.1.log"));
    }

    [Fact]
    public void Log_offset_adds_each_ios_offset_before_the_priority()
    {
        Run("[r]\nfilename=/dev/sda\nrw=write\nbs=8k\noffset=64k\nnumber_ios=3\nwrite_iops_log=DIR/o\nlog_offset=1\n");
        string[] iops = Lines("o_iops.1.log");
        Assert.Equal(["1, 8192, 65536, 0", "1, 8192, 73728, 0", "1, 8192, 81920, 0"],
            iops.Select(l => string.Join(", ", l.Split(", ")[1..].Where((_, i) => i != 1))));
        Assert.All(iops, l => Assert.Equal("1", l.Split(", ")[2]));
    }

    [Fact]
    public void Each_clone_writes_its_own_files_numbered_across_the_job_file_as_fio_numbers_threads()
    {
        Run("[a]\nfilename=/dev/sda\nnumber_ios=4\nnumjobs=2\nwrite_bw_log=DIR/a\n[b]\nfilename=/dev/sda\nnumber_ios=4\nwrite_bw_log=DIR/b\n");
        Assert.Equal(["a_bw.1.log", "a_bw.2.log", "b_bw.3.log"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(4, Lines("b_bw.3.log").Length);
    }

    [Fact]
    public void Log_avg_msec_gives_one_entry_per_direction_per_window_with_the_windows_rate()
    {
        WorkloadResult result = Run("[r]\nfilename=/dev/sda\nrw=randrw\ndirect=1\nrate_iops=1000\nruntime=1s\ntime_based\nlog_avg_msec=250\nwrite_iops_log=DIR/w\nwrite_bw_log=DIR/w\n");
        // The I/O in flight when the runtime passes completes just after it: a last, partial window.
        string[] all = Lines("w_iops.1.log");
        Assert.InRange(all.Length, 8, 9);
        string[] iops = all[..8];
        Assert.Equal(["250", "250", "500", "500", "750", "750", "1000", "1000"], iops.Select(l => l.Split(", ")[0]));
        Assert.Equal(["0", "1", "0", "1", "0", "1", "0", "1"], iops.Select(l => l.Split(", ")[2]));
        Assert.All(iops, l => Assert.EndsWith(", 0, 0", l));
        // 1000 I/Os per second split between reads and writes: the two directions of a window add up to about 1000.
        for (int w = 0; w < 4; w++)
            Assert.InRange(long.Parse(iops[2 * w].Split(", ")[1]) + long.Parse(iops[2 * w + 1].Split(", ")[1]), 990, 1010);
        long readIos = iops.Where((_, i) => i % 2 == 0).Sum(l => long.Parse(l.Split(", ")[1])) / 4;
        Assert.Equal(result.Jobs[0].Read.TotalIos, readIos, 10.0);
        string[] bw = Lines("w_bw.1.log");
        Assert.Equal(long.Parse(iops[0].Split(", ")[1]) * 4, long.Parse(bw[0].Split(", ")[1]), 1.0);
    }

    [Fact]
    public void A_bare_write_lat_log_names_the_files_after_the_job()
    {
        JobSpec spec = JobFileParser.Parse("[mine]\nwrite_lat_log\nwrite_bw_log=x\n", "t.fio")[0];
        Assert.Equal("mine", spec.LatencyLogPrefix);
        Assert.Equal("x", spec.BandwidthLogPrefix);
        Assert.Null(spec.IopsLogPrefix);
    }

    [Theory]
    [InlineData("write_bw_log=", "needs a file name prefix (or no '=' at all for the job's name)")]
    [InlineData("write_iops_log=a,b", "one file name prefix, without ',' or ':'")]
    [InlineData("log_avg_msec=-5", "'-5' is not a size (a")]
    [InlineData("log_offset=sometimes", "'sometimes' is not a boolean (1 or 0)")]
    public void A_bad_log_option_is_refused_with_its_line_and_what_is_allowed(string line, string why)
    {
        var error = Assert.Throws<CliException>(() => JobFileParser.Parse($"[r]\n{line}\n", "t.fio"));
        Assert.StartsWith($"t.fio:2: {line}: {why}", error.Message);
    }

    [Fact]
    public void A_log_that_cannot_be_written_is_an_error_naming_the_job_and_the_file()
    {
        var error = Assert.Throws<CliException>(() => Run("[r]\nfilename=/dev/sda\nnumber_ios=1\nwrite_lat_log=DIR/missing/x\n"));
        Assert.StartsWith($"t.fio:1: job 'r': cannot write the log {_directory}/missing/x_lat.1.log", error.Message);
        Assert.Equal(1, error.ExitCode);
    }
}
