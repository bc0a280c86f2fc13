using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tests.Tracing;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Faults;

namespace Hardware.BlockLayer.Tests.Integration;

/// <summary>Issue 3's "done": many processes on a partition of an emulated hdd-7200, through every elevator.</summary>
public class BlockStackTests
{
    public static TheoryData<string> Schedulers() => new(ElevatorRegistry.Names);

    [OracleFact("sfdisk", "blkparse", "btt")]
    public void Probing_names_the_disk_and_the_partitions_sfdisk_wrote()
    {
        using var rig = new StackRig("mq-deadline");
        Assert.Equal(["sda", "sda1", "sda2"], rig.Probe.Devices.Select(d => d.Name));
        BlockDevice sda1 = rig.Device("sda1");
        Assert.Equal(2048, sda1.StartSector);
        Assert.Equal(262144, sda1.CapacitySectors);
        Assert.Equal((8u << 20) | 1u, sda1.DeviceNumber);
        Assert.Equal(264192, rig.Device("sda2").StartSector);
        Assert.True(rig.Device("sda").Rotational);
        Assert.Empty(rig.Probe.Warnings);
    }

    [OracleTheory("sfdisk", "blkparse", "btt")]
    [MemberData(nameof(Schedulers))]
    public void Many_processes_write_and_read_back_a_partition_through_every_elevator(string scheduler)
    {
        using var rig = new StackRig(scheduler);
        BlockDevice sda1 = rig.Device("sda1");
        var workload = new ProcessWorkload(rig, sda1);
        rig.Run(() => workload.RunAsync(processes: 6));

        Assert.Empty(workload.Failures);
        Assert.Empty(workload.Mismatches);
        // The image file itself holds each process's pattern at the partition's offset: the medium got it.
        for (int pid = 1; pid <= 6; pid++)
        {
            long offset = sda1.StartSector * Bio.SectorSize + ProcessWorkload.RegionStart(pid) + 12_345;
            byte[] onImage = rig.ReadImage(offset, 1);
            Assert.Equal(ProcessWorkload.Pattern(pid, 12_345), onImage[0]);
        }
        Assert.Equal(scheduler, rig.Device("sda").Queue.Elevator.Name);
        Assert.True(sda1.Stats.WriteIos > 0 && sda1.Stats.ReadIos > 0);
        Assert.True(rig.Device("sda").Stats.ReadIos >= sda1.Stats.ReadIos);
    }

    [OracleFact("sfdisk", "blkparse", "btt")]
    public void The_binary_trace_of_a_workload_opens_in_blkparse_and_btt_with_the_same_counts()
    {
        using var rig = new StackRig("mq-deadline", trace: true);
        BlockDevice sda1 = rig.Device("sda1");
        var workload = new ProcessWorkload(rig, sda1);
        rig.Run(() => workload.RunAsync(processes: 4));
        rig.Run(() => PluggedSequentialReadAsync(rig, sda1, processId: 9, bios: 16));
        rig.Writer!.Dispose();
        Assert.Empty(workload.Failures);

        string parsed = BlktraceTools.Blkparse(rig.TraceDirectory, "-i", "sda", "-d", "sda.bin");
        int Count(string letter) => parsed.Split('\n').Count(line =>
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 6 && fields[0] == "8,0" && fields[5] == letter;
        });
        Assert.Equal(rig.Memory.CountOf(BlockTraceAction.Queue), Count("Q"));
        Assert.Equal(rig.Memory.CountOf(BlockTraceAction.Issue), Count("D"));
        Assert.Equal(rig.Memory.CountOf(BlockTraceAction.Complete), Count("C"));
        Assert.True(Count("M") >= 15, "the plugged sequential bios should merge into one request");

        string btt = BlktraceTools.Btt(rig.TraceDirectory, "-i", "sda.bin");
        Assert.Contains("Q2C", btt);
        Assert.Contains("D2C", btt);
    }

    /// <summary>One process queues contiguous 4 KiB reads under a plug, then waits for them all: they merge.</summary>
    private static async Task PluggedSequentialReadAsync(StackRig rig, BlockDevice device, int processId, int bios)
    {
        var pieces = new Bio[bios];
        Hardware.Emulator.Platform.PageFrame buffer = rig.Machine.Frames.AllocateContiguous(bios);
        using (device.Queue.Plug(processId))
        {
            for (int i = 0; i < bios; i++)
            {
                pieces[i] = new Bio(rig.Simulation);
                pieces[i].Reset(BioOp.Read, 8 * i, BioFlags.Sync, processId);
                pieces[i].AddSegment(new BioSegment(buffer.Address + (ulong)(4096 * i), 4096));
                Assert.Null(device.Submit(pieces[i]));
            }
        }
        foreach (Bio bio in pieces)
            Assert.Equal(Errno.None, await bio.Completion.Task);
        rig.Machine.Frames.Free(buffer, bios);
    }

    [OracleFact("sfdisk", "blkparse", "btt")]
    public void Two_runs_with_the_same_seed_write_identical_blktrace_files()
    {
        byte[] RunOnce()
        {
            using var rig = new StackRig("bfq", seed: 9, trace: true);
            var workload = new ProcessWorkload(rig, rig.Device("sda2"));
            rig.Run(() => workload.RunAsync(processes: 3));
            rig.Writer!.Dispose();
            return File.ReadAllBytes(Path.Combine(rig.TraceDirectory, BlktraceWriter.FileName("sda")));
        }

        byte[] first = RunOnce();
        byte[] second = RunOnce();
        Assert.True(first.Length > 10_000);
        Assert.Equal(first, second);
    }

    [OracleFact("sfdisk", "blkparse", "btt")]
    public void An_unreadable_sector_fails_only_the_reads_that_cover_it_with_EIO()
    {
        var faults = new FaultPlan();
        // Process 2's region of sda1, 100 KiB in: written first (a write clears a pending sector), so mark it after.
        long badLba = 2048 + (ProcessWorkload.RegionStart(2) + 100 * 1024) / Bio.SectorSize;
        using var rig = new StackRig("mq-deadline", faults: faults);
        BlockDevice sda1 = rig.Device("sda1");
        var writer = new ProcessWorkload(rig, sda1);
        rig.Run(() => writer.RunAsync(processes: 3));
        Assert.Empty(writer.Failures);

        faults.AddUnreadable(badLba);
        var reader = new ProcessWorkload(rig, sda1);
        rig.Run(() => reader.RunAsync(processes: 3, write: false));
        // One 4 KiB random read may or may not hit the sector; the sequential pass surely does.
        Assert.Contains(Errno.EIO, reader.Failures[2]);
        Assert.All(reader.Failures[2], status => Assert.Equal(Errno.EIO, status));
        Assert.False(reader.Failures.ContainsKey(1));
        Assert.False(reader.Failures.ContainsKey(3));
        Assert.Empty(reader.Mismatches);
    }

    [OracleFact("sfdisk", "blkparse", "btt")]
    public void A_command_the_drive_never_completes_is_recovered_after_the_timeout()
    {
        var faults = new FaultPlan();
        faults.HangCommandNumber(40);
        using var rig = new StackRig("kyber", faults: faults);
        var workload = new ProcessWorkload(rig, rig.Device("sda1"));
        rig.Run(() => workload.RunAsync(processes: 2));
        Assert.Empty(workload.Failures);
        Assert.Empty(workload.Mismatches);
        Assert.True(rig.Simulation.Now >= 30_000_000_000, "recovery waits for the 30 s request timeout");
        Assert.Contains(rig.Machine.Log.Entries, e => e.Source.StartsWith("ata", StringComparison.Ordinal));
    }
}
