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
}
