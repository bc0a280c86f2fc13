using Hardware.Cli.Commands;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Tests.Workloads;

public class JobFileParserTests
{
    private static IReadOnlyList<JobSpec> Parse(string text) => JobFileParser.Parse(text, "jobs.fio");

    private static string Error(string text) => Assert.Throws<CliException>(() => Parse(text)).Message;

    [Fact]
    public void Global_options_apply_to_every_job_and_a_job_overrides_them()
    {
        var jobs = Parse("""
            ; a comment
            # another comment
            [global]
            bs=64k        ; inline comment
            ioengine=libaio
            iodepth=8
            direct=1
            runtime=10
            time_based

            [seq]
            rw=read
            filename=/dev/sda

            [rand]
            rw=randrw
            rwmixread=70
            iodepth=32
            bssplit=4k/50:64k/50
            numjobs=2
            filename=/dev/sda1
            """);
        Assert.Equal(2, jobs.Count);
        JobSpec seq = jobs[0];
        Assert.Equal("seq", seq.Name);
        Assert.Equal(IoPattern.Read, seq.Pattern);
        Assert.Equal([new BlockSizeShare(65536, 100)], seq.BlockSizes);
        Assert.Equal(IoEngineKind.Async, seq.Engine);
        Assert.Equal(8, seq.IoDepth);
        Assert.True(seq.Direct);
        Assert.True(seq.TimeBased);
        Assert.Equal(10_000_000_000, seq.RuntimeNs);
        JobSpec rand = jobs[1];
        Assert.Equal(IoPattern.RandReadWrite, rand.Pattern);
        Assert.Equal(70, rand.ReadMixPercent);
        Assert.Equal(32, rand.IoDepth);
        Assert.Equal(2, rand.NumJobs);
        Assert.Equal([new BlockSizeShare(4096, 50), new BlockSizeShare(65536, 50)], rand.BlockSizes);
        Assert.Equal("/dev/sda1", rand.FileName);
        Assert.Equal("jobs.fio:15", rand.Origin);
    }

    [Theory]
    [InlineData("4k", 4096)]
    [InlineData("4K", 4096)]
    [InlineData("4kb", 4096)]
    [InlineData("1m", 1 << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("0x1000", 4096)]
    [InlineData("4KiB", 4000)]
    public void Sizes_follow_fio_default_kb_base_where_the_iec_spelling_is_decimal(string text, long bytes)
    {
        Assert.Equal(bytes, Parse($"[j]\nfilename=/dev/sda\nbs=512\nsize={text}")[0].Size);
    }

    [Fact]
    public void Kb_base_1000_makes_k_decimal_and_kib_binary()
    {
        var job = Parse("[global]\nkb_base=1000\n[j]\nfilename=/dev/sda\nbs=512\nsize=4k\noffset=4KiB")[0];
        Assert.Equal(4000, job.Size);
        Assert.Equal(4096, job.Offset);
    }

    [Theory]
    [InlineData("runtime=10", 10_000_000_000)]
    [InlineData("runtime=500ms", 500_000_000)]
    [InlineData("runtime=2m", 120_000_000_000)]
    [InlineData("runtime=250us", 250_000)]
    public void Times_are_seconds_unless_a_suffix_says_otherwise(string option, long ns)
    {
        Assert.Equal(ns, Parse($"[j]\nfilename=/dev/sda\n{option}")[0].RuntimeNs);
    }

    [Fact]
    public void Thinktime_without_a_unit_is_microseconds_as_in_fio()
    {
        Assert.Equal(50_000, Parse("[j]\nfilename=/dev/sda\nthinktime=50")[0].ThinkTimeNs);
    }

    [Fact]
    public void Synchronous_engines_run_one_io_at_a_time_and_asynchronous_ones_keep_their_engine_name()
    {
        var jobs = Parse("[a]\nfilename=/dev/sda\nioengine=psync\niodepth=16\n[b]\nfilename=/dev/sda\nioengine=io_uring\niodepth=16");
        Assert.Equal(IoEngineKind.Sync, jobs[0].Engine);
        Assert.Equal(IoEngineKind.Async, jobs[1].Engine);
        Assert.Equal("io_uring", jobs[1].EngineName);
    }

    [Fact]
    public void A_size_may_be_a_share_of_the_device_and_stonewall_and_group_reporting_are_accepted()
    {
        var job = Parse("[global]\ngroup_reporting\n[j]\nfilename=/dev/sda\nsize=25%\nstonewall")[0];
        Assert.Equal(25, job.SizePercent);
        Assert.True(job.Stonewall);
    }

    [Theory]
    [InlineData("[j]\nfilename=/dev/sda\nverify=md5", "jobs.fio:3: option 'verify' is not supported")]
    [InlineData("[j]\nrw=sideways", "jobs.fio:2: rw=sideways")]
    [InlineData("[j]\n\niodepth=0", "jobs.fio:3: iodepth=0: must be 1 to 4096")]
    [InlineData("[j]\nrwmixread=101", "jobs.fio:2: rwmixread=101")]
    [InlineData("[j]\nbs=4q", "jobs.fio:2: bs=4q")]
    [InlineData("[j]\nbssplit=4k/60:64k/60", "jobs.fio:2: bssplit=4k/60:64k/60: the shares add up to 120%")]
    [InlineData("[j]\nruntime=ten", "jobs.fio:2: runtime=ten")]
    [InlineData("[j]\nioengine=mmap", "jobs.fio:2: ioengine=mmap")]
    [InlineData("rw=read\n[j]", "jobs.fio:1: option 'rw=read' is outside any [section]")]
    [InlineData("[j]\nsize", "jobs.fio:2: option 'size' needs a value")]
    [InlineData("[j\n", "jobs.fio:1: a section header")]
    [InlineData("[global]\nbs=4k", "jobs.fio: no job section")]
    [InlineData("[j]\ntime_based", "jobs.fio:1: job 'j': time_based needs runtime=")]
    public void A_bad_line_is_one_error_naming_the_file_line_and_option(string text, string expected)
    {
        Assert.StartsWith(expected, Error(text));
    }
}
