using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.BlockLayer.Tests.Drivers.TestKit;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Tests.Drivers;

/// <summary>NCQ ordering, the non-queued deferral rule, and recovery paths that need a particular disk or timing.</summary>
public class AhciQueueingAndRecoveryTests
{
    [Fact]
    public void Thirty_two_NCQ_reads_on_a_disk_complete_out_of_submission_order_each_with_its_data()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("hdd-7200"));
        var random = new Random(3);
        long[] sectors = [.. Enumerable.Range(0, 32).Select(_ => random.NextInt64(rig.Disk.Info.CapacitySectors / 8) * 8)];
        Request[] writes = [.. sectors.Select((sector, i) =>
        {
            BioSegment[] buffer = rig.Contiguous(4096);
            rig.Fill(buffer, sector, stamp: i);
            return rig.NewRequest(BioOp.Write, sector, buffer);
        })];
        rig.Submit(writes);
        rig.RunUntilDone(writes);
        Assert.Equal(Errno.None, rig.Run(rig.Flush()));

        BioSegment[][] buffers = [.. sectors.Select(_ => rig.Contiguous(4096))];
        Request[] reads = [.. sectors.Select((sector, tag) => rig.NewRequest(BioOp.Read, sector, buffers[tag], tag: tag))];
        int completedBefore = rig.Host.Completions.Count;
        rig.Submit(reads);
        rig.RunUntilDone(reads);

        int[] order = [.. rig.Host.Completions.Skip(completedBefore).Select(c => c.Request.Tag)];
        Assert.Equal(32, order.Length);
        Assert.NotEqual(Enumerable.Range(0, 32), order);
        Assert.Equal(32, rig.Host.MaxInFlight);
        Assert.True(rig.Drive.Statistics.NcqReorders > 0);
        for (int i = 0; i < reads.Length; i++)
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(reads[i]));
            Assert.Equal(AhciDiskRig.Expected(sectors[i], 4096, i), rig.Gather(buffers[i]));
        }
    }

    [Fact]
    public void A_flush_waits_until_queued_commands_drain_and_no_queued_command_joins_it()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ssd-sata"));
        Request[] before = [.. Enumerable.Range(0, 4).Select(tag => rig.NewRequest(BioOp.Read, 1_000 + tag * 64, rig.Contiguous(32 * 1024), tag: tag))];
        Request flush = rig.Flush(tag: 4);
        Request after = rig.NewRequest(BioOp.Read, 9_000, rig.Contiguous(4096), tag: 5);
        rig.Submit([.. before, flush, after]);
        rig.RunUntilDone([.. before, flush, after]);

        long flushDone = rig.Host.CompletionTimeOf(flush);
        Assert.All(before, r => Assert.True(rig.Host.CompletionTimeOf(r) <= flushDone));
        Assert.True(rig.Host.CompletionTimeOf(after) > flushDone);
        // The flush was refused while reads were queued, the read after it while the flush ran.
        Assert.True(rig.Disk.Statistics.Deferrals >= 2);
        Assert.Equal(rig.Disk.Statistics.Deferrals, rig.Host.Deferrals);
        Assert.Equal(0, rig.Disk.Statistics.Recoveries);
        Assert.DoesNotContain(rig.Machine.Log.Entries, e => e.Message.Contains("queued commands outstanding") || e.Message.Contains("non-queued command is active"));
    }

    [Fact]
    public void Reads_queued_behind_a_media_error_are_requeued_without_using_a_try()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("hdd-7200"));
        const long bad = 100_000;
        rig.Faults.AddUnreadable(bad, 8);
        var random = new Random(11);
        Request failing = rig.NewRequest(BioOp.Read, bad, rig.Contiguous(4096));
        Request[] others = [.. Enumerable.Range(0, 31).Select(_ =>
            rig.NewRequest(BioOp.Read, random.NextInt64(rig.Disk.Info.CapacitySectors / 8) * 8, rig.Contiguous(4096)))];
        rig.Submit([failing, .. others]);
        rig.RunUntilDone([failing, .. others]);

        Assert.Equal(Errno.EIO, rig.Host.StatusOf(failing));
        Request[] requeued = [.. others.Where(rig.Host.Requeues.Contains)];
        // The drive serves the nearest command first; the failing read is not the last, so some were still queued.
        Assert.NotEmpty(requeued);
        Assert.DoesNotContain(failing, rig.Host.Requeues);
        Assert.All(others, r =>
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(r));
            Assert.Equal(0, r.Retries);
        });
        Assert.All(requeued, r => Assert.True(rig.Host.CompletionTimeOf(r) > rig.Host.CompletionTimeOf(failing)));
        Assert.Equal(requeued.Length, rig.Disk.Statistics.RequestsRequeued);
        Assert.Equal(1, rig.Disk.Statistics.NcqErrorLogReads);
    }

    [Fact]
    public void A_command_that_finished_just_before_an_error_completes_normally_and_is_not_issued_again()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(800, 8);
        // A slow interrupt lets the good read's completion and the bad read's error meet in one interrupt.
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults, interruptLatencyNs: 50 * SimTime.Microsecond);
        long readsBefore = rig.Drive.Statistics.Commands(Emulator.Ata.DriveCommandKind.Read);
        Request good = rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096), tag: 0);
        Request bad = rig.NewRequest(BioOp.Read, 800, rig.Contiguous(4096), tag: 1);
        rig.Submit(good);
        rig.Simulation.Schedule(10 * SimTime.Microsecond, _ => rig.Submit(bad), null);
        rig.RunUntilDone(good, bad);

        Assert.Equal(Errno.None, rig.Host.StatusOf(good));
        Assert.Equal(Errno.EIO, rig.Host.StatusOf(bad));
        Assert.Empty(rig.Host.Requeues);
        Assert.Equal(readsBefore + 2, rig.Drive.Statistics.Commands(Emulator.Ata.DriveCommandKind.Read));
        Assert.Equal(1, rig.Disk.Statistics.Recoveries);
        Assert.Contains(rig.DriverLog, line => line.Contains("had finished before the error"));
    }

    [Fact]
    public void A_request_arriving_during_recovery_is_parked_and_issued_once_the_port_restarts()
    {
        var faults = new FaultPlan();
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ssd-sata"), faults);
        Assert.Equal(Errno.None, rig.Write(4_000, 8192, stamp: 2));
        faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 1);
        BioSegment[] first = rig.Contiguous(4096);
        BioSegment[] second = rig.Contiguous(4096);
        Request hung = rig.NewRequest(BioOp.Read, 4_000, first);
        Request arriving = rig.NewRequest(BioOp.Read, 4_008, second);
        rig.Submit(hung);
        // Recovery starts at the timeout and spends at least the COMRESET hold time; arrive in the middle of it.
        rig.Simulation.ScheduleAt(rig.Simulation.Now + FakeBlockDriverHost.DefaultTimeoutNs + 100 * SimTime.Microsecond, _ =>
        {
            Assert.True(rig.Disk.IsRecovering);
            rig.Submit(arriving);
        }, null);
        rig.RunUntilDone(hung, arriving);

        Assert.Equal(1, rig.Disk.Statistics.RequestsParked);
        Assert.Equal(Errno.None, rig.Host.StatusOf(hung));
        Assert.Equal(Errno.None, rig.Host.StatusOf(arriving));
        Assert.Equal(0, arriving.Retries);
        Assert.Equal(AhciDiskRig.Expected(4_000, 4096, 2), rig.Gather(first));
        Assert.Equal(AhciDiskRig.Expected(4_008, 4096, 2), rig.Gather(second));
    }

    [Fact]
    public void A_parked_request_that_times_out_during_recovery_goes_back_to_the_queue_instead_of_the_device()
    {
        var faults = new FaultPlan();
        const long timeout = 2 * SimTime.Millisecond;
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults, timeoutNs: timeout);
        faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 1);
        Request hung = rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096));
        Request arriving = rig.NewRequest(BioOp.Read, 8, rig.Contiguous(4096));
        rig.Submit(hung);
        // Recovery (COMRESET hold, signature, IDENTIFY) outlasts the short timeout of the request parked meanwhile.
        rig.Simulation.Schedule(timeout + 100 * SimTime.Microsecond, _ => rig.Submit(arriving), null);
        rig.RunUntilDone(hung, arriving);

        Assert.Equal(Errno.None, rig.Host.StatusOf(hung));
        Assert.Equal(Errno.None, rig.Host.StatusOf(arriving));
        Assert.Contains(arriving, rig.Host.Requeues);
        Assert.Equal(0, arriving.Retries);
        Assert.Equal(2, rig.Host.Timeouts);
        Assert.Equal(1, rig.Disk.Statistics.Recoveries);
        Assert.Equal(1, rig.Disk.Statistics.RequestsParked);
    }

    [Fact]
    public void When_the_NCQ_error_log_cannot_be_read_the_link_is_reset_and_the_failed_commands_share_the_blame()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(800, 8);
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults);
        // The failing read is the next command; READ LOG EXT, right after it, hangs.
        faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 2);
        Request bad = rig.NewRequest(BioOp.Read, 800, rig.Contiguous(4096));
        Assert.Equal(Errno.EIO, rig.Run(bad));

        Assert.Equal(1, bad.Retries);
        Assert.Equal(1, rig.Disk.Statistics.ComResets);
        Assert.Equal(1, rig.Disk.Statistics.NcqErrorLogReads);
        Assert.Equal(1, rig.Disk.Statistics.MediaErrors);
        Assert.Contains(rig.DriverLog, line => line.Contains("READ LOG EXT 10h failed") && line.Contains("TimedOut"));
    }

    [Fact]
    public void A_flush_that_hangs_is_reissued_after_recovery_and_what_it_covers_survives_power_loss()
    {
        var faults = new FaultPlan();
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ssd-sata"), faults);
        Assert.Equal(Errno.None, rig.Write(6_000, 64 * 1024, stamp: 7));
        faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 1);
        Request flush = rig.Flush();
        Assert.Equal(Errno.None, rig.Run(flush));
        Assert.Equal(1, flush.Retries);
        Assert.Equal(1, rig.Disk.Statistics.ComResets);

        rig.Drive.PowerLoss();
        Assert.Equal(AhciDiskRig.Expected(6_000, 64 * 1024, 7), rig.Read(6_000, 64 * 1024));
        Assert.Equal(0, rig.Drive.Statistics.LostDirtySectors);
    }

    [Fact]
    public void A_command_that_hangs_on_every_try_fails_with_EIO_after_the_configured_tries()
    {
        var faults = new FaultPlan();
        faults.HangLbaRange(200_000, 8);
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults);
        Request stuck = rig.NewRequest(BioOp.Read, 200_000, rig.Contiguous(4096));
        Assert.Equal(Errno.EIO, rig.Run(stuck));
        Assert.Equal(4, stuck.Retries);
        Assert.Equal(5, rig.Host.Timeouts);
        Assert.Equal(5, rig.Disk.Statistics.ComResets);
        Assert.Contains(new KeyValuePair<string, long>("RequestsRetried", 4), rig.Disk.Statistics.ToList());
        Assert.Contains(rig.DriverLog, line => line.Contains("on try 5 of 5; giving up"));
        Assert.Equal(Errno.None, rig.Write(300_000, 4096, stamp: 1));
    }

    [Fact]
    public void Retries_follow_the_MaxTries_tunable()
    {
        var faults = new FaultPlan();
        faults.HangLbaRange(200_000, 8);
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults, options: AhciDriverOptions.Default with { MaxTries = 1 });
        Request stuck = rig.NewRequest(BioOp.Read, 200_000, rig.Contiguous(4096));
        Assert.Equal(Errno.EIO, rig.Run(stuck));
        Assert.Equal(0, stuck.Retries);
        Assert.Equal(1, rig.Disk.Statistics.ComResets);
    }

    [Fact]
    public void When_the_disk_cannot_be_revalidated_it_goes_offline_and_every_request_fails_without_a_hang()
    {
        var faults = new FaultPlan();
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"), faults);
        long next = rig.Drive.Statistics.TotalCommands + 1;
        // The read hangs, then the IDENTIFY after each of the three COMRESETs.
        for (long n = next; n < next + 4; n++)
            faults.HangCommandNumber(n);
        Request hung = rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096));
        Assert.Equal(Errno.EIO, rig.Run(hung));
        Assert.True(rig.Disk.IsOffline);
        Assert.Equal(3, rig.Disk.Statistics.ComResets);
        Assert.Contains(rig.DriverLog, line => line.Contains("giving up after 3 link resets"));

        Request later = rig.NewRequest(BioOp.Write, 8, rig.Contiguous(4096));
        Assert.Equal(Errno.EIO, rig.Run(later));
    }

    [Fact]
    public void A_timeout_for_a_request_that_is_not_at_the_device_is_ignored()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ram"));
        Request done = rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096));
        Assert.Equal(Errno.None, rig.Run(done));
        rig.Disk.TimeoutRequest(done);
        Assert.Equal(0, rig.Disk.Statistics.Recoveries);
        Assert.Contains(rig.DriverLog, line => line.Contains("not at the device"));
    }

    [Fact]
    public void Requests_that_break_what_the_queue_promised_are_refused_as_bugs()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ssd-sata"));
        Assert.Throws<ArgumentException>(() => rig.Disk.TryQueueRequest(rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096), tag: 32)));
        Assert.Throws<ArgumentException>(() => rig.Disk.TryQueueRequest(rig.NewRequest(BioOp.Read, 0, [new BioSegment(0x10_0001, 512)], tag: 0)));
        Assert.Throws<ArgumentException>(() => rig.Disk.TryQueueRequest(rig.NewRequest(BioOp.Read, 0, rig.Contiguous(65536 * 512), tag: 0)));

        Request first = rig.NewRequest(BioOp.Read, 0, rig.Contiguous(4096), tag: 3);
        rig.Submit(first);
        Assert.Throws<InvalidOperationException>(() => rig.Disk.TryQueueRequest(rig.NewRequest(BioOp.Read, 8, rig.Contiguous(4096), tag: 3)));
        rig.RunUntilDone(first);
        Assert.Equal(Errno.None, rig.Host.StatusOf(first));
    }

    [Fact]
    public void A_4Kn_disk_reports_4096_byte_blocks_and_addresses_them_by_logical_block()
    {
        var profile = AhciDiskRig.Preset("ram") with { LogicalSectorSize = 4096, PhysicalSectorSize = 4096, CapacityBytes = 1L << 30 };
        using AhciDiskRig rig = AhciDiskRig.Create(profile);
        QueueLimits limits = rig.Disk.Info.Limits;
        Assert.Equal(4096, limits.LogicalBlockSize);
        Assert.Equal(4096, limits.PhysicalBlockSize);
        Assert.Equal((1L << 30) / 512, rig.Disk.Info.CapacitySectors);
        Assert.Equal(8L * 64 * 65535 * 8, limits.MaxDiscardSectors);

        Assert.Equal(Errno.None, rig.Write(800, 8192, stamp: 5));
        var onMedium = new byte[8192];
        rig.Store.Read(800L * 512, onMedium);
        Assert.Equal(AhciDiskRig.Expected(800, 8192, 5), onMedium);
        Assert.Equal(100UL, rig.CommandFisOf(0).Lba);
        Assert.Throws<ArgumentException>(() => rig.Disk.TryQueueRequest(rig.NewRequest(BioOp.Read, 4, rig.Contiguous(4096), tag: 1)));
    }

    [Fact]
    public void A_512e_disk_reports_its_4096_byte_physical_sectors()
    {
        using AhciDiskRig rig = AhciDiskRig.Create(AhciDiskRig.Preset("ssd-sata") with { PhysicalSectorSize = 4096 });
        Assert.Equal(512, rig.Disk.Info.Limits.LogicalBlockSize);
        Assert.Equal(4096, rig.Disk.Info.Limits.PhysicalBlockSize);
    }
}
