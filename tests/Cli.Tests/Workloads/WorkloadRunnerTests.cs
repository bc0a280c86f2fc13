using Hardware.Cli.Workloads;
using Hardware.Cli.Workloads.Fio;

namespace Hardware.Cli.Tests.Workloads;

public class WorkloadRunnerTests
{
    private static WorkloadResult Run(string jobFile, MachineSpec? machine = null) =>
        WorkloadRunner.Run(machine ?? new MachineSpec(), JobFileParser.Parse(jobFile, "test.fio"));

    [Fact]
    public void Random_reads_at_queue_depth_32_on_an_ncq_disk_get_clearly_more_iops_than_at_depth_1()
    {
        const string job = """
            [global]
            filename=/dev/sda
            rw=randread
            bs=4k
            direct=1
            ioengine=libaio
            runtime=2s
            time_based
            [qd]
            iodepth=DEPTH
            """;
        WorkloadResult qd1 = Run(job.Replace("DEPTH", "1"));
        WorkloadResult qd32 = Run(job.Replace("DEPTH", "32"));
        double iops1 = qd1.Jobs[0].Read.Iops;
        double iops32 = qd32.Jobs[0].Read.Iops;
        Assert.InRange(iops1, 50, 200);
        Assert.True(iops32 > 1.5 * iops1, $"QD32 {iops32:F0} IOPS against QD1 {iops1:F0}");
        Assert.Equal(0, qd32.Jobs[0].Errors);
        Assert.Equal(0, qd32.Jobs[0].Write.TotalIos);
    }

    [Fact]
    public void A_time_based_job_on_ramfs_ends_because_each_system_call_costs_virtual_cpu_time()
    {
        WorkloadResult result = Run("[r]\nrw=randread\nsize=256k\nruntime=5ms\ntime_based\nfilename=/f\n",
            new MachineSpec { FileSystem = FileSystemKind.RamFs, SyscallCostNs = 2_000, CopyCostNsPerByte = 0 });
        DirectionStats read = result.Jobs[0].Read;
        Assert.Equal(2_500, read.TotalIos);
        Assert.Equal(2_000, read.Clat.Min);
        Assert.Equal(2_000, read.Clat.Max);
    }

    [Fact]
    public void An_asynchronous_engine_reports_the_submission_cost_as_slat_and_the_device_time_as_clat()
    {
        WorkloadResult result = Run("[r]\nfilename=/dev/sda\nrw=randread\ndirect=1\nioengine=libaio\niodepth=4\nnumber_ios=40\n",
            new MachineSpec { SyscallCostNs = 3_000 });
        DirectionStats read = result.Jobs[0].Read;
        Assert.Equal(40, read.TotalIos);
        Assert.Equal(40, read.Slat.Count);
        Assert.Equal(3_000, read.Slat.Max);
        Assert.True(read.Clat.Mean > 1e6);
        Assert.Equal(read.Slat.Mean + read.Clat.Mean, read.Lat.Mean, 3);
    }

    [Fact]
    public void Rate_iops_paces_a_job_in_virtual_time()
    {
        WorkloadResult result = Run("[r]\nfilename=/dev/sda\nrw=read\ndirect=1\nrate_iops=100\nruntime=1s\ntime_based\n",
            new MachineSpec { Device = "ram" });
        Assert.InRange(result.Jobs[0].Read.TotalIos, 99, 101);
    }

    [Fact]
    public void Stonewall_starts_a_new_group_after_the_previous_jobs_end()
    {
        WorkloadResult result = Run("[a]\nfilename=/dev/sda\nnumber_ios=10\n[b]\nfilename=/dev/sda\nnumber_ios=10\nstonewall\n",
            new MachineSpec { Device = "ram" });
        Assert.Equal([0, 1], result.Jobs.Select(j => j.GroupId));
    }
}
