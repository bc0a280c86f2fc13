using Hardware.Cli.Commands;
using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Tests.Workloads;

public class EndFsyncTests
{
    private static readonly MachineSpec Ext2 = new() { FileSystem = FileSystemKind.Ext2 };

    private static JobResult Run(string jobFile, MachineSpec? machine = null) =>
        WorkloadRunner.Run(machine ?? Ext2, JobFileParser.Parse(jobFile, "test.fio")).Jobs[0];

    private const string BufferedWrite = "[w]\nrw=write\nsize=4m\nfilename=/f\n";

    [Fact]
    public void End_fsync_puts_the_flush_of_a_buffered_write_job_inside_its_runtime_but_not_in_its_sync_latencies()
    {
        JobResult plain = Run(BufferedWrite);
        JobResult synced = Run(BufferedWrite + "end_fsync=1\n");
        Assert.Equal(plain.Write.TotalIos, synced.Write.TotalIos);
        Assert.True(synced.Write.RuntimeMs > 10 * Math.Max(1, plain.Write.RuntimeMs),
            $"runtime {synced.Write.RuntimeMs} ms with end_fsync against {plain.Write.RuntimeMs} ms without");
        Assert.True(synced.Write.BandwidthBytes < plain.Write.BandwidthBytes / 10);
        Assert.Equal(0, synced.Sync?.Count ?? 0);
        Assert.Equal(0, synced.Errors);
    }

    [Fact]
    public void Fsync_on_close_flushes_each_file_when_the_clone_ends_as_end_fsync_does()
    {
        JobResult endFsync = Run(BufferedWrite + "end_fsync=1\n");
        JobResult onClose = Run(BufferedWrite + "fsync_on_close=1\n");
        Assert.Equal(endFsync.Write.RuntimeMs, onClose.Write.RuntimeMs);
        Assert.Equal(endFsync.Write.BandwidthBytes, onClose.Write.BandwidthBytes);
    }

    [Fact]
    public void End_fsync_is_skipped_when_the_last_operation_was_already_an_fsync()
    {
        JobResult periodic = Run(BufferedWrite + "fsync=8\n");
        JobResult both = Run(BufferedWrite + "fsync=8\nend_fsync=1\n");
        Assert.Equal(periodic.Write.RuntimeMs, both.Write.RuntimeMs);
        Assert.Equal(periodic.Sync!.Count, both.Sync!.Count);
        Assert.Equal(128, both.Sync.Count);
    }

    [Fact]
    public void End_fsync_on_a_read_only_job_does_nothing_as_fio_syncs_only_jobs_that_write()
    {
        const string read = "[r]\nrw=randread\nsize=1m\nfilename=/f\nnumber_ios=50\n";
        JobResult plain = Run(read);
        JobResult synced = Run(read + "end_fsync=1\n");
        Assert.Equal(plain.Read.RuntimeMs, synced.Read.RuntimeMs);
        Assert.Equal(plain.Read.Clat.Mean, synced.Read.Clat.Mean);
    }

    [Fact]
    public void End_fsync_on_a_block_device_flushes_each_clone_once()
    {
        const string job = "[w]\nfilename=/dev/sda\nrw=randwrite\nsize=64m\nnumber_ios=200\nnumjobs=2\n";
        JobResult plain = Run(job, new MachineSpec());
        JobResult synced = Run(job + "end_fsync=1\n", new MachineSpec());
        Assert.Equal(0, synced.Errors);
        Assert.True(synced.Write.RuntimeMs > plain.Write.RuntimeMs);
    }

    [Theory]
    [InlineData("end_fsync=maybe", "test.fio:3: end_fsync=maybe: 'maybe' is not a boolean (1 or 0)")]
    [InlineData("fsync_on_close=2", "test.fio:3: fsync_on_close=2: '2' is not a boolean (1 or 0)")]
    public void A_bad_end_fsync_or_fsync_on_close_value_is_refused_with_its_line(string line, string message)
    {
        var error = Assert.Throws<CliException>(() => JobFileParser.Parse($"[w]\nrw=write\n{line}\n", "test.fio"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void End_fsync_and_fsync_on_close_are_flags_that_mean_1_when_bare()
    {
        JobSpec spec = JobFileParser.Parse("[w]\nrw=write\nend_fsync\nfsync_on_close\n", "test.fio")[0];
        Assert.True(spec.EndFsync);
        Assert.True(spec.FsyncOnClose);
    }
}
