using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.BlockLayer.Tests.Drivers.TestKit;
using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Media;

namespace Hardware.BlockLayer.Tests.Drivers;

/// <summary>What a disk configuration should look like through the driver.</summary>
public sealed record ExpectedDisk(bool UsesNcq, int QueueDepth, bool Rotational, bool WriteCache, bool Trim);

/// <summary>
/// The AHCI driver against one emulated disk configuration, through <see cref="IBlockDriver"/> only (plus the drive's
/// own statistics and fault plan): identity and limits, data integrity over many sizes and segment layouts, the
/// command table the HBA sees, concurrency, flush/FUA durability across power loss, and recovery from media errors,
/// write faults, hung commands and host bus errors. One small subclass per configuration.
/// </summary>
public abstract class AhciDiskConformanceTests
{
    protected abstract DeviceProfile Profile { get; }

    protected virtual AhciHbaOptions? Hba => null;

    protected abstract ExpectedDisk Expected { get; }

    private AhciDiskRig NewRig(FaultPlan? faults = null, ulong seed = 1, AhciDriverOptions? options = null) =>
        AhciDiskRig.Create(Profile, faults, seed, Hba, options);

    [Fact]
    public void Probe_reports_identity_capacity_and_queue_limits_from_the_hardware()
    {
        using AhciDiskRig rig = NewRig();
        BlockDriverInfo info = rig.Disk.Info;
        Assert.Same(info, rig.Disk.Info);
        QueueLimits limits = info.Limits;
        Assert.Equal(Profile.Model, info.Model);
        Assert.Equal(Profile.Serial, info.Serial);
        Assert.Equal(Profile.CapacityBytes / 512, info.CapacitySectors);
        Assert.Equal(Profile.LogicalSectorSize, limits.LogicalBlockSize);
        Assert.Equal(Profile.PhysicalSectorSize, limits.PhysicalBlockSize);
        Assert.Equal(65535, limits.MaxHardwareSectors);
        Assert.Equal(2560, limits.MaxSectors);
        Assert.Equal(168, limits.MaxSegments);
        Assert.Equal(4 << 20, limits.MaxSegmentSize);
        Assert.Equal(Expected.QueueDepth, limits.QueueDepth);
        Assert.Equal(Expected.UsesNcq, rig.Disk.UsesNcq);
        Assert.Equal(Expected.Rotational, limits.Rotational);
        Assert.Equal(Expected.WriteCache, limits.WriteCache);
        Assert.True(limits.Fua);
        // TRIM: up to 8 blocks of 64 range entries of 65535 sectors each (IDENTIFY word 105 says 8 blocks).
        Assert.Equal(Expected.Trim ? 8L * 64 * 65535 : 0, limits.MaxDiscardSectors);
        Assert.False(limits.ReadOnly);
    }

    public enum Layout
    {
        OneSector,
        OnePage,
        Contiguous64K,
        ScatteredPages512K,
        SubPagePiecesAtOffsets,
        AdjacentAndScatteredMix,
        MaxSectorsContiguous,
    }

    private static BioSegment[] Build(AhciDiskRig rig, Layout layout) => layout switch
    {
        Layout.OneSector => rig.Contiguous(512),
        Layout.OnePage => rig.Contiguous(4096),
        Layout.Contiguous64K => rig.Contiguous(64 * 1024),
        Layout.ScatteredPages512K => rig.Scattered(128, 4096),
        Layout.SubPagePiecesAtOffsets => rig.Scattered(8, 512, offset: 1536),
        Layout.AdjacentAndScatteredMix => [.. rig.AdjacentPieces(16 * 1024, 1024), .. rig.Scattered(3, 2048, offset: 512), .. rig.Contiguous(8192)],
        Layout.MaxSectorsContiguous => rig.Contiguous(2560 * 512),
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    [Theory]
    [InlineData(Layout.OneSector, 0L)]
    [InlineData(Layout.OnePage, 8L)]
    [InlineData(Layout.Contiguous64K, 123_457L)]
    [InlineData(Layout.ScatteredPages512K, 2_000_000L)]
    [InlineData(Layout.SubPagePiecesAtOffsets, 31L)]
    [InlineData(Layout.AdjacentAndScatteredMix, 777_777L)]
    [InlineData(Layout.MaxSectorsContiguous, 5_000_000L)]
    public void Data_written_in_a_layout_reads_back_identically_in_the_same_layout(Layout layout, long sector)
    {
        using AhciDiskRig rig = NewRig();
        BioSegment[] source = Build(rig, layout);
        rig.Fill(source, sector, stamp: 1);
        Assert.Equal(Errno.None, rig.Run(rig.NewRequest(BioOp.Write, sector, source)));

        BioSegment[] destination = Build(rig, layout);
        Assert.Equal(Errno.None, rig.Run(rig.NewRequest(BioOp.Read, sector, destination)));
        Assert.Equal(AhciDiskRig.Expected(sector, source.Sum(s => s.Length), stamp: 1), rig.Gather(destination));
    }

    [Fact]
    public void Data_reads_back_at_the_right_place_on_the_medium_after_a_flush()
    {
        using AhciDiskRig rig = NewRig();
        Assert.Equal(Errno.None, rig.Write(40_000, 8192, stamp: 9));
        Assert.Equal(Errno.None, rig.Run(rig.Flush()));
        var onMedium = new byte[8192];
        rig.Store.Read(40_000L * 512, onMedium);
        Assert.Equal(AhciDiskRig.Expected(40_000, 8192, stamp: 9), onMedium);
    }

    [Fact]
    public void A_request_of_several_bios_moves_each_bio_s_pages_in_order()
    {
        using AhciDiskRig rig = NewRig();
        BioSegment[][] parts = [rig.Contiguous(4096), rig.Scattered(2, 1024), rig.Contiguous(512)];
        long sector = 300_000;
        var bios = new Bio[parts.Length];
        long at = sector;
        for (int i = 0; i < parts.Length; i++)
        {
            rig.Fill(parts[i], at, stamp: 4);
            bios[i] = new Bio(rig.Simulation);
            bios[i].Reset(BioOp.Write, at);
            foreach (BioSegment segment in parts[i])
                bios[i].AddSegment(segment);
            at += bios[i].SectorCount;
        }
        Request write = rig.NewRequest(bios);
        Assert.Equal(Errno.None, rig.Run(write));
        Assert.All(bios, bio => Assert.Equal(Errno.None, bio.Status));

        byte[]? back = rig.Read(sector, (int)(at - sector) * 512);
        Assert.NotNull(back);
        int offset = 0;
        foreach (BioSegment[] part in parts)
        {
            long partSector = sector + offset / 512;
            int bytes = part.Sum(s => s.Length);
            Assert.Equal(AhciDiskRig.Expected(partSector, bytes, 4), back.AsSpan(offset, bytes).ToArray());
            offset += bytes;
        }
    }

    [Fact]
    public void Segments_that_continue_each_other_in_memory_become_one_prd_entry()
    {
        using AhciDiskRig rig = NewRig();
        BioSegment[] pieces = rig.AdjacentPieces(64 * 1024, 4096);
        rig.Fill(pieces, 1000, stamp: 2);
        Request write = rig.NewRequest(BioOp.Write, 1000, pieces, tag: 0);
        rig.Submit(write);

        PrdEntry[] prdt = rig.PrdTableOf(0);
        Assert.Single(prdt);
        Assert.Equal(pieces[0].Address, prdt[0].DataBase);
        Assert.Equal(64 * 1024, prdt[0].ByteCount);
        Assert.True(rig.CommandHeaderOf(0).IsWrite);

        rig.RunUntilDone(write);
        Assert.Equal(AhciDiskRig.Expected(1000, 64 * 1024, 2), rig.Read(1000, 64 * 1024));
    }

    [Fact]
    public void A_segment_longer_than_a_prd_entry_is_split_at_4_MiB()
    {
        using AhciDiskRig rig = NewRig();
        const int bytes = 5 << 20;
        BioSegment[] big = rig.Contiguous(bytes);
        rig.Fill(big, 2_000_000, stamp: 6);
        Request write = rig.NewRequest(BioOp.Write, 2_000_000, big, tag: 0);
        rig.Submit(write);

        PrdEntry[] prdt = rig.PrdTableOf(0);
        Assert.Equal(2, prdt.Length);
        Assert.Equal((big[0].Address, 4 << 20), (prdt[0].DataBase, prdt[0].ByteCount));
        Assert.Equal((big[0].Address + (4 << 20), 1 << 20), (prdt[1].DataBase, prdt[1].ByteCount));

        rig.RunUntilDone(write);
        Assert.Equal(Errno.None, rig.Host.StatusOf(write));
        Assert.Equal(AhciDiskRig.Expected(2_000_000, bytes, 6), rig.Read(2_000_000, bytes));
    }

    [Fact]
    public void A_request_of_168_separate_segments_fits_and_169_is_refused_as_a_queue_bug()
    {
        using AhciDiskRig rig = NewRig();
        BioSegment[] pieces = rig.Scattered(168, 512, offset: 512);
        rig.Fill(pieces, 50_000, stamp: 3);
        Request write = rig.NewRequest(BioOp.Write, 50_000, pieces, tag: 0);
        rig.Submit(write);
        Assert.Equal(168, rig.CommandHeaderOf(0).PrdTableLength);
        rig.RunUntilDone(write);
        Assert.Equal(AhciDiskRig.Expected(50_000, 168 * 512, 3), rig.Read(50_000, 168 * 512));

        Request tooMany = rig.NewRequest(BioOp.Read, 60_000, rig.Scattered(169, 512));
        var error = Assert.Throws<ArgumentException>(() => rig.Submit(tooMany));
        Assert.Contains("168 PRD entries", error.Message);
    }

    [Fact]
    public void The_command_is_FPDMA_with_NCQ_and_DMA_EXT_without_and_FUA_travels_with_it()
    {
        using AhciDiskRig rig = NewRig();
        Request plain = rig.NewRequest(BioOp.Write, 8, rig.Contiguous(4096), tag: 0);
        rig.Submit(plain);
        RegisterH2DFisView fis = RegisterH2DFisView.Of(rig, 0);
        rig.RunUntilDone(plain);
        Request fua = rig.NewRequest(BioOp.Write, 16, rig.Contiguous(4096), BioFlags.Fua, tag: 0);
        rig.Submit(fua);
        RegisterH2DFisView fuaFis = RegisterH2DFisView.Of(rig, 0);
        rig.RunUntilDone(fua);

        if (Expected.UsesNcq)
        {
            Assert.Equal((byte)AtaCommand.WriteFpdmaQueued, fis.Command);
            Assert.Equal(8, fis.Features);
            Assert.Equal(0, fis.Device & 0x80);
            Assert.Equal((byte)AtaCommand.WriteFpdmaQueued, fuaFis.Command);
            Assert.Equal(0x80, fuaFis.Device & 0x80);
            Assert.Equal(2, rig.Drive.Statistics.QueuedCommands);
        }
        else
        {
            Assert.Equal((byte)AtaCommand.WriteDmaExt, fis.Command);
            Assert.Equal(8, fis.Count);
            Assert.Equal((byte)AtaCommand.WriteDmaFuaExt, fuaFis.Command);
            Assert.Equal(0, rig.Drive.Statistics.QueuedCommands);
        }
    }

    [Fact]
    public void Many_requests_at_once_all_complete_with_their_own_data()
    {
        using AhciDiskRig rig = NewRig();
        var random = new Random(7);
        long[] sectors = Enumerable.Range(0, 48).Select(_ => random.NextInt64(rig.Disk.Info.CapacitySectors / 8) * 8).ToArray();
        var writes = sectors.Select((sector, i) =>
        {
            BioSegment[] buffer = rig.Contiguous(4096);
            rig.Fill(buffer, sector, stamp: i);
            return rig.NewRequest(BioOp.Write, sector, buffer);
        }).ToArray();
        rig.Submit(writes);
        rig.RunUntilDone(writes);
        Assert.All(writes, w => Assert.Equal(Errno.None, rig.Host.StatusOf(w)));

        var buffers = sectors.Select(_ => rig.Contiguous(4096)).ToArray();
        var reads = sectors.Select((sector, i) => rig.NewRequest(BioOp.Read, sector, buffers[i])).ToArray();
        rig.Submit(reads);
        rig.RunUntilDone(reads);
        for (int i = 0; i < reads.Length; i++)
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(reads[i]));
            Assert.Equal(AhciDiskRig.Expected(sectors[i], 4096, i), rig.Gather(buffers[i]));
        }
        Assert.Equal(Expected.QueueDepth, rig.Host.MaxInFlight);
        Assert.Equal(0, rig.Disk.Statistics.Recoveries);
    }

    [Fact]
    public void Flushed_and_FUA_written_data_survive_power_loss_and_reads_succeed_after_recovery()
    {
        using AhciDiskRig rig = NewRig();
        const int bytes = 64 * 1024;
        Assert.Equal(Errno.None, rig.Write(10_000, bytes, stamp: 1));
        Assert.Equal(Errno.None, rig.Run(rig.Flush()));
        Assert.Equal(Errno.None, rig.Write(20_000, bytes, stamp: 2, BioFlags.Fua));
        Assert.Equal(Errno.None, rig.Write(30_000, bytes, stamp: 3));

        rig.Drive.PowerLoss();

        BioSegment[][] buffers = [rig.Contiguous(bytes), rig.Contiguous(bytes), rig.Contiguous(bytes)];
        Request[] reads = [.. new[] { 10_000L, 20_000L, 30_000L }.Select((sector, i) => rig.NewRequest(BioOp.Read, sector, buffers[i]))];
        rig.Submit(reads);
        rig.RunUntilDone(reads);

        Assert.All(reads, r => Assert.Equal(Errno.None, rig.Host.StatusOf(r)));
        Assert.Equal(AhciDiskRig.Expected(10_000, bytes, 1), rig.Gather(buffers[0]));
        Assert.Equal(AhciDiskRig.Expected(20_000, bytes, 2), rig.Gather(buffers[1]));
        if (Expected.WriteCache)
        {
            Assert.True(rig.Drive.Statistics.LostDirtySectors > 0);
            Assert.NotEqual(AhciDiskRig.Expected(30_000, bytes, 3), rig.Gather(buffers[2]));
        }
        else
        {
            Assert.Equal(AhciDiskRig.Expected(30_000, bytes, 3), rig.Gather(buffers[2]));
        }
        Assert.Equal(1, rig.Disk.Statistics.Timeouts);
        Assert.Equal(1, rig.Disk.Statistics.ComResets);
        Assert.Contains(rig.DriverLog, line => line.Contains("revalidated"));
    }

    [Fact]
    public void An_unreadable_sector_fails_only_its_read_with_EIO_and_is_not_retried()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(50_004, 2);
        using AhciDiskRig rig = NewRig(faults);
        Assert.Equal(Errno.None, rig.Write(60_000, 7 * 4096, stamp: 5));

        Request bad = rig.NewRequest(BioOp.Read, 50_000, rig.Contiguous(4096));
        var goodBuffers = Enumerable.Range(0, 7).Select(_ => rig.Contiguous(4096)).ToArray();
        var good = goodBuffers.Select((buffer, i) => rig.NewRequest(BioOp.Read, 60_000 + i * 8, buffer)).ToArray();
        rig.Submit([bad, .. good]);
        rig.RunUntilDone([bad, .. good]);

        Assert.Equal(Errno.EIO, rig.Host.StatusOf(bad));
        Assert.Equal(0, bad.Retries);
        Assert.Equal(1, rig.Drive.Statistics.UncorrectableErrors);
        Assert.Equal(1, rig.Disk.Statistics.MediaErrors);
        Assert.Equal(Expected.UsesNcq ? 1 : 0, rig.Disk.Statistics.NcqErrorLogReads);
        Assert.Equal(0, rig.Disk.Statistics.ComResets);
        for (int i = 0; i < good.Length; i++)
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(good[i]));
            Assert.Equal(0, good[i].Retries);
            Assert.Equal(AhciDiskRig.Expected(60_000 + i * 8, 4096, 5), rig.Gather(goodBuffers[i]));
        }
        Assert.DoesNotContain(bad, rig.Host.Requeues);
        Assert.Contains(rig.DriverLog, line => line.Contains("media error") && line.Contains("not retried"));
    }

    [Fact]
    public void A_write_fault_fails_the_write_with_EIO_and_leaves_the_old_data()
    {
        var faults = new FaultPlan();
        using AhciDiskRig rig = NewRig(faults);
        Assert.Equal(Errno.None, rig.Write(70_000, 4096, stamp: 1));
        Assert.Equal(Errno.None, rig.Run(rig.Flush()));
        faults.AddWriteFault(70_003);

        BioSegment[] buffer = rig.Contiguous(4096);
        rig.Fill(buffer, 70_000, stamp: 2);
        Request faulty = rig.NewRequest(BioOp.Write, 70_000, buffer);
        BioSegment[] other = rig.Contiguous(4096);
        rig.Fill(other, 90_000, stamp: 2);
        Request fine = rig.NewRequest(BioOp.Write, 90_000, other);
        rig.Submit(faulty, fine);
        rig.RunUntilDone(faulty, fine);

        Assert.Equal(Errno.EIO, rig.Host.StatusOf(faulty));
        Assert.Equal(Errno.None, rig.Host.StatusOf(fine));
        Assert.Equal(0, faulty.Retries);
        Assert.Equal(1, rig.Drive.Statistics.WriteFaults);
        Assert.Equal(1, rig.Disk.Statistics.DeviceFaults);
        Assert.Equal(AhciDiskRig.Expected(70_000, 4096, 1), rig.Read(70_000, 4096));
        Assert.Equal(AhciDiskRig.Expected(90_000, 4096, 2), rig.Read(90_000, 4096));
    }

    [Fact]
    public void A_hung_command_times_out_and_after_COMRESET_its_retry_succeeds()
    {
        var faults = new FaultPlan();
        using AhciDiskRig rig = NewRig(faults);
        Assert.Equal(Errno.None, rig.Write(80_000, 4 * 4096, stamp: 8));
        faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 2);

        var buffers = Enumerable.Range(0, 4).Select(_ => rig.Contiguous(4096)).ToArray();
        var reads = buffers.Select((buffer, i) => rig.NewRequest(BioOp.Read, 80_000 + i * 8, buffer)).ToArray();
        rig.Submit(reads);
        rig.RunUntilDone(reads);

        for (int i = 0; i < reads.Length; i++)
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(reads[i]));
            Assert.Equal(AhciDiskRig.Expected(80_000 + i * 8, 4096, 8), rig.Gather(buffers[i]));
        }
        Assert.Equal(1, rig.Drive.Statistics.HungCommands);
        Assert.Equal(1, rig.Host.Timeouts);
        Assert.Equal(1, rig.Disk.Statistics.ComResets);
        // Only the hung command used a try; the others were at most requeued.
        Assert.Equal([0, 0, 0, 1], reads.Select(r => r.Retries).Order());
        Assert.Contains(rig.DriverLog, line => line.Contains("COMRESET"));
    }

    [Fact]
    public void A_request_pointing_outside_guest_memory_fails_after_bounded_retries_and_the_port_keeps_working()
    {
        using AhciDiskRig rig = NewRig();
        Assert.Equal(Errno.None, rig.Write(90_000, 4 * 4096, stamp: 4));
        ulong outside = (ulong)rig.Platform.Memory.Size + 0x10_0000;
        Request bad = rig.NewRequest(BioOp.Read, 90_000, [new BioSegment(outside, 4096)]);
        var buffers = Enumerable.Range(0, 3).Select(_ => rig.Contiguous(4096)).ToArray();
        var good = buffers.Select((buffer, i) => rig.NewRequest(BioOp.Read, 90_008 + i * 8, buffer)).ToArray();
        rig.Submit([bad, .. good]);
        rig.RunUntilDone([bad, .. good]);

        Assert.Equal(Errno.EIO, rig.Host.StatusOf(bad));
        Assert.Equal(AhciDriverOptions.Default.MaxTries - 1, bad.Retries);
        Assert.Equal(AhciDriverOptions.Default.MaxTries, rig.Disk.Statistics.ComResets);
        Assert.Equal(AhciDriverOptions.Default.MaxTries - 1, rig.Disk.Statistics.RequestsRetried);
        for (int i = 0; i < good.Length; i++)
        {
            Assert.Equal(Errno.None, rig.Host.StatusOf(good[i]));
            Assert.Equal(0, good[i].Retries);
            Assert.Equal(AhciDiskRig.Expected(90_008 + i * 8, 4096, 4), rig.Gather(buffers[i]));
        }
        Assert.False(rig.Disk.IsOffline);
        Assert.Equal(AhciDiskRig.Expected(90_000, 4096, 4), rig.Read(90_000, 4096));
    }

    [Fact]
    public void A_write_from_outside_guest_memory_fails_and_leaves_the_disk_unchanged()
    {
        using AhciDiskRig rig = NewRig(options: AhciDriverOptions.Default with { MaxTries = 2 });
        Assert.Equal(Errno.None, rig.Write(95_000, 4096, stamp: 1));
        ulong outside = (ulong)rig.Platform.Memory.Size;
        Assert.Equal(Errno.EIO, rig.Run(rig.NewRequest(BioOp.Write, 95_000, [new BioSegment(outside, 4096)])));
        Assert.Equal(2, rig.Disk.Statistics.ComResets);
        Assert.Equal(AhciDiskRig.Expected(95_000, 4096, 1), rig.Read(95_000, 4096));
    }

    [Fact]
    public void A_preflush_write_sends_FLUSH_CACHE_EXT_before_its_data()
    {
        using AhciDiskRig rig = NewRig();
        long flushes = rig.Drive.Statistics.Commands(DriveCommandKind.Flush);
        Assert.Equal(Errno.None, rig.Write(12_345, 8192, stamp: 3, BioFlags.Preflush | BioFlags.Fua));
        Assert.Equal(flushes + 1, rig.Drive.Statistics.Commands(DriveCommandKind.Flush));
        Assert.Equal(2, rig.Disk.Statistics.CommandsIssued);
        Assert.Equal(AhciDiskRig.Expected(12_345, 8192, 3), rig.Read(12_345, 8192));
    }

    [Fact]
    public void A_discard_trims_the_range_to_zeros_when_the_disk_trims_and_is_refused_otherwise()
    {
        using AhciDiskRig rig = NewRig();
        if (!Expected.Trim)
        {
            Assert.Equal(0, rig.Disk.Info.Limits.MaxDiscardSectors);
            Assert.Throws<ArgumentException>(() => rig.Submit(rig.Discard(0, 8)));
            return;
        }
        Assert.Equal(Errno.None, rig.Write(100_000, 64 * 1024, stamp: 3));
        Assert.Equal(Errno.None, rig.Write(1_150_000, 4096, stamp: 3));

        Request small = rig.Discard(100_000, 64);
        Assert.Equal(Errno.None, rig.Run(small));
        Request large = rig.Discard(1_000_000, 200_000, tag: 0);
        rig.Submit(large);
        // One 512-byte block of range entries: 65535 + 65535 + 65535 + 3395 sectors.
        PrdEntry[] prdt = rig.PrdTableOf(0);
        Assert.Equal(512, Assert.Single(prdt).ByteCount);
        byte[] entries = rig.Platform.Memory.GetSpan(prdt[0].DataBase, 512).ToArray();
        Assert.Equal([65535, 65535, 65535, 3395, 0], Enumerable.Range(0, 5).Select(i => (int)DsmRangeEntry.Read(entries.AsSpan(i * 8)).Length));
        Assert.Equal(1_000_000UL + 3 * 65535, DsmRangeEntry.Read(entries.AsSpan(24)).Lba);
        rig.RunUntilDone(large);
        Assert.Equal(Errno.None, rig.Host.StatusOf(large));

        byte[]? first = rig.Read(100_000, 64 * 1024);
        Assert.Equal(new byte[32 * 1024], first![..(32 * 1024)]);
        Assert.Equal(AhciDiskRig.Expected(100_064, 32 * 1024, 3), first[(32 * 1024)..]);
        Assert.Equal(new byte[4096], rig.Read(1_150_000, 4096));
        Assert.Equal(2, rig.Drive.Statistics.Commands(DriveCommandKind.Trim));
    }

    [Fact]
    public void Two_identical_runs_with_errors_give_the_same_event_log()
    {
        ulong Run()
        {
            var faults = new FaultPlan();
            faults.AddUnreadable(7_000);
            using AhciDiskRig rig = NewRig(faults, seed: 42);
            Request[] Batch(int first) => [.. Enumerable.Range(first, 12).Select(i => i % 3 == 0
                ? rig.NewRequest(BioOp.Write, 5_000 + i * 64, rig.Contiguous(8192))
                : rig.NewRequest(BioOp.Read, 6_936 + i * 8, rig.Contiguous(4096)))];
            Request[] media = Batch(0);
            rig.Submit(media);
            rig.RunUntilDone(media);
            faults.HangCommandNumber(rig.Drive.Statistics.TotalCommands + 3);
            Request[] hang = Batch(20);
            rig.Submit(hang);
            rig.RunUntilDone(hang);

            Assert.Single(media, r => rig.Host.StatusOf(r) == Errno.EIO);
            Assert.All(hang, r => Assert.Equal(Errno.None, rig.Host.StatusOf(r)));
            Assert.Equal(2, rig.Disk.Statistics.Recoveries);
            return rig.EventLog.Hash;
        }
        Assert.Equal(Run(), Run());
    }
}

/// <summary>The command FIS a slot's table holds, as the HBA will send it.</summary>
public readonly record struct RegisterH2DFisView(byte Command, ushort Features, ushort Count, byte Device)
{
    public static RegisterH2DFisView Of(AhciDiskRig rig, int slot)
    {
        var fis = rig.CommandFisOf(slot);
        return new RegisterH2DFisView(fis.Command, fis.Features, fis.Count, fis.Device);
    }
}

public sealed class Hdd7200ConformanceTests : AhciDiskConformanceTests
{
    protected override DeviceProfile Profile => AhciDiskRig.Preset("hdd-7200");

    protected override ExpectedDisk Expected => new(UsesNcq: true, QueueDepth: 32, Rotational: true, WriteCache: true, Trim: false);
}

public sealed class SsdSataConformanceTests : AhciDiskConformanceTests
{
    protected override DeviceProfile Profile => AhciDiskRig.Preset("ssd-sata");

    protected override ExpectedDisk Expected => new(UsesNcq: true, QueueDepth: 32, Rotational: false, WriteCache: true, Trim: true);
}

public sealed class RamConformanceTests : AhciDiskConformanceTests
{
    protected override DeviceProfile Profile => AhciDiskRig.Preset("ram");

    protected override ExpectedDisk Expected => new(UsesNcq: true, QueueDepth: 32, Rotational: false, WriteCache: false, Trim: true);
}

/// <summary>A disk without NCQ: READ/WRITE DMA EXT, one request at a time.</summary>
public sealed class RamWithoutNcqConformanceTests : AhciDiskConformanceTests
{
    protected override DeviceProfile Profile => AhciDiskRig.Preset("ram") with { NcqDepth = 0 };

    protected override ExpectedDisk Expected => new(UsesNcq: false, QueueDepth: 1, Rotational: false, WriteCache: false, Trim: true);
}

/// <summary>An NCQ disk behind an HBA without CAP.SNCQ: the driver must not queue.</summary>
public sealed class SsdBehindHbaWithoutNcqConformanceTests : AhciDiskConformanceTests
{
    protected override DeviceProfile Profile => AhciDiskRig.Preset("ssd-sata");

    protected override AhciHbaOptions? Hba => new() { SupportsNcq = false };

    protected override ExpectedDisk Expected => new(UsesNcq: false, QueueDepth: 1, Rotational: false, WriteCache: true, Trim: true);
}
