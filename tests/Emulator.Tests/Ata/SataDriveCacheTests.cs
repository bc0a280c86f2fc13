using Hardware.Emulator.Ata;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Media;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.Ata.Fakes;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveCacheTests
{
    [Fact]
    public void A_cached_write_completes_before_its_data_is_on_the_medium_and_flush_puts_it_there()
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(4096, seed: 1);
        long issued = harness.Simulation.Now;
        FisRecord done = harness.IssueAndWait(Commands.WriteDmaExt(300, 8), data);
        Assert.Equal(AtaStatus.Drdy, done.Status);
        Assert.True(done.Time - issued < 200_000, "a cached write costs overhead and transfer, not a media access");
        Assert.Equal(new byte[4096], harness.StoreBytes(300, 8));
        Assert.Equal(8, harness.Drive.DirtySectors);

        FisRecord flushed = harness.IssueAndWait(Commands.NonData(AtaCommand.FlushCacheExt));
        Assert.Equal(AtaStatus.Drdy, flushed.Status);
        Assert.Equal(data, harness.StoreBytes(300, 8));
        Assert.Equal(0, harness.Drive.DirtySectors);
        Assert.Contains(harness.Media.Accesses, a => a.Operation == MediaOperation.Write && a.Lba == 300 && a.End <= flushed.Time);
    }

    [Fact]
    public void Power_loss_loses_exactly_the_writes_not_yet_flushed()
    {
        var harness = new DriveHarness();
        byte[] flushed = DriveHarness.Pattern(4096, seed: 2);
        byte[] unflushedA = DriveHarness.Pattern(4096, seed: 3);
        byte[] unflushedB = DriveHarness.Pattern(2048, seed: 4);
        harness.IssueAndWait(Commands.WriteDmaExt(1000, 8), flushed);
        harness.IssueAndWait(Commands.NonData(AtaCommand.FlushCache));
        harness.IssueAndWait(Commands.WriteDmaExt(5000, 8), unflushedA);
        harness.IssueAndWait(Commands.WriteDmaExt(9000, 4), unflushedB);

        harness.Drive.PowerLoss();
        Assert.Equal(12, harness.Drive.Statistics.LostDirtySectors);
        harness.PowerOn();

        Assert.Equal(flushed, harness.Read(1000, 8));
        Assert.Equal(new byte[4096], harness.Read(5000, 8));
        Assert.Equal(new byte[2048], harness.Read(9000, 4));
    }

    [Fact]
    public void A_drive_without_power_answers_nothing_until_comreset()
    {
        var harness = new DriveHarness();
        harness.Drive.PowerLoss();
        int before = harness.Host.Timeline.Count;
        harness.Host.Issue(Commands.ReadDmaExt(0, 8), new byte[4096]);
        harness.Simulation.Run();
        Assert.Equal(before, harness.Host.Timeline.Count);
        harness.PowerOn();
        Assert.True(harness.Drive.IsReady);
    }

    [Fact]
    public void Fua_writes_survive_power_loss_right_after_they_complete()
    {
        var harness = new DriveHarness();
        byte[] viaExt = DriveHarness.Pattern(4096, seed: 5);
        byte[] viaNcq = DriveHarness.Pattern(4096, seed: 6);
        harness.IssueAndWait(Commands.WriteDmaFuaExt(2000, 8), viaExt);
        harness.IssueAndWait(Commands.Fpdma(read: false, tag: 7, lba: 3000, sectors: 8, fua: true), viaNcq);
        harness.Drive.PowerLoss();
        harness.PowerOn();
        Assert.Equal(viaExt, harness.Read(2000, 8));
        Assert.Equal(viaNcq, harness.Read(3000, 8));
    }

    [Fact]
    public void With_the_write_cache_off_a_write_is_on_the_medium_when_it_completes()
    {
        var harness = new DriveHarness();
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        byte[] data = DriveHarness.Pattern(8192, seed: 7);
        long issued = harness.Simulation.Now;
        FisRecord done = harness.IssueAndWait(Commands.WriteDmaExt(4000, 16), data);
        Assert.Equal(data, harness.StoreBytes(4000, 16));
        Assert.Equal(0, harness.Drive.DirtySectors);
        Assert.True(done.Time - issued >= harness.Media.PositioningNs, "the write waited for the medium");
        harness.Drive.PowerLoss();
        harness.PowerOn();
        Assert.Equal(data, harness.Read(4000, 16));
    }

    [Fact]
    public void Disabling_the_write_cache_first_puts_dirty_data_on_the_medium()
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(4096, seed: 8);
        harness.IssueAndWait(Commands.WriteDmaExt(700, 8), data);
        harness.IssueAndWait(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        Assert.Equal(data, harness.StoreBytes(700, 8));
        Assert.False(harness.Drive.WriteCacheEnabled);
    }

    [Fact]
    public void A_media_write_cut_by_power_loss_keeps_only_the_whole_sectors_written_before()
    {
        var harness = new DriveHarness();
        harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x82));
        byte[] data = DriveHarness.Pattern(64 * 512, seed: 9);
        int accesses = harness.Media.Accesses.Count;
        harness.Host.Issue(Commands.WriteDmaExt(20_000, 64), data);
        while (harness.Media.Accesses.Count == accesses)
            harness.Simulation.Step();
        MediaAccess write = harness.Media.Accesses[^1];
        long firstSectorAt = write.End - 64 * harness.Media.NsPerSector;
        harness.Faults.PowerLossAt(firstSectorAt + 10 * harness.Media.NsPerSector + harness.Media.NsPerSector / 2);
        harness.Simulation.Run();
        Assert.False(harness.Drive.IsReady);
        Assert.DoesNotContain(harness.Host.Timeline, f => f.Kind == FisKind.RegisterD2H && f.Time > write.Start);

        harness.PowerOn();
        byte[] back = harness.Read(20_000, 64);
        Assert.Equal(data.AsSpan(0, 10 * 512).ToArray(), back.AsSpan(0, 10 * 512).ToArray());
        Assert.Equal(new byte[54 * 512], back.AsSpan(10 * 512).ToArray());
    }

    [Fact]
    public void A_destage_cut_by_power_loss_keeps_its_whole_sectors_and_loses_the_rest()
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(32 * 512, seed: 10);
        harness.IssueAndWait(Commands.WriteDmaExt(40_000, 32), data);
        // The drive is idle now and starts destaging at once.
        while (!harness.Media.Accesses.Any(a => a.Lba == 40_000))
            harness.Simulation.Step();
        MediaAccess destage = harness.Media.Accesses.Last(a => a.Lba == 40_000);
        long firstSectorAt = destage.End - destage.Count * harness.Media.NsPerSector;
        harness.Simulation.RunUntil(firstSectorAt + 5 * harness.Media.NsPerSector);
        harness.Drive.PowerLoss();
        harness.PowerOn();
        byte[] back = harness.Read(40_000, 32);
        Assert.Equal(data.AsSpan(0, 5 * 512).ToArray(), back.AsSpan(0, 5 * 512).ToArray());
        Assert.Equal(new byte[27 * 512], back.AsSpan(5 * 512).ToArray());
    }

    [Fact]
    public void Idle_time_destages_dirty_data_without_a_flush()
    {
        var harness = new DriveHarness();
        byte[] data = DriveHarness.Pattern(4096, seed: 11);
        harness.Write(800, data);
        Assert.Equal(data, harness.StoreBytes(800, 8));
        Assert.Equal(0, harness.Drive.DirtySectors);
        Assert.Equal(1, harness.Drive.Statistics.DestagedWrites);
    }

    [Fact]
    public void Writes_beyond_the_cache_size_wait_for_destaging_and_all_land()
    {
        var harness = new DriveHarness(configureMedia: media => media.PositioningNs = 200_000);
        var data = new byte[32][];
        for (int tag = 0; tag < 32; tag++)
        {
            data[tag] = DriveHarness.Pattern(64 * 1024, seed: 300 + tag);
            harness.Host.Issue(Commands.Fpdma(read: false, tag, lba: 100_000 + tag * 4096L, sectors: 128), data[tag]);
        }
        harness.Simulation.Run();
        Assert.Equal(0u, harness.Host.Outstanding);
        for (int tag = 0; tag < 32; tag++)
            Assert.Equal(data[tag], harness.StoreBytes(100_000 + tag * 4096L, 128));
        Assert.Equal(32, harness.Drive.Statistics.CachedWrites);
        Assert.True(harness.Drive.Statistics.DestagedWrites >= 32);
    }

    [Fact]
    public void A_read_of_dirty_data_is_served_from_the_cache_with_the_newest_bytes()
    {
        var harness = new DriveHarness();
        byte[] older = DriveHarness.Pattern(8192, seed: 12);
        harness.Write(600, older, fua: true);
        byte[] newer = DriveHarness.Pattern(2048, seed: 13);
        harness.IssueAndWait(Commands.WriteDmaExt(604, 4), newer);
        int mediaReads = harness.Media.Accesses.Count(a => a.Operation == MediaOperation.Read);

        var back = new byte[4096];
        harness.IssueAndWait(Commands.ReadDmaExt(602, 8), back);
        byte[] expected = [.. older.AsSpan(2 * 512, 2 * 512), .. newer, .. older.AsSpan(8 * 512, 2 * 512)];
        Assert.Equal(expected, back);

        var dirtyOnly = new byte[2048];
        harness.IssueAndWait(Commands.ReadDmaExt(604, 4), dirtyOnly);
        Assert.Equal(newer, dirtyOnly);
        Assert.True(harness.Drive.Statistics.CacheHits >= 1);
    }

    [Fact]
    public void A_fua_write_over_dirty_cached_data_is_what_reads_and_the_medium_end_up_with()
    {
        var harness = new DriveHarness();
        harness.IssueAndWait(Commands.WriteDmaExt(900, 8), DriveHarness.Pattern(4096, seed: 14));
        byte[] fua = DriveHarness.Pattern(4096, seed: 15);
        harness.IssueAndWait(Commands.WriteDmaFuaExt(900, 8), fua);
        Assert.Equal(fua, harness.StoreBytes(900, 8));
        Assert.Equal(fua, harness.Read(900, 8));
        harness.Simulation.Run();
        Assert.Equal(fua, harness.StoreBytes(900, 8));
    }

    [Fact]
    public void Read_ahead_makes_the_next_sequential_read_faster_than_the_first()
    {
        var harness = new DriveHarness();
        long start = harness.Simulation.Now;
        FisRecord first = harness.IssueAndWait(Commands.ReadDmaExt(50_000, 16), new byte[8192]);
        long firstLatency = first.Time - start;
        start = harness.Simulation.Now;
        FisRecord second = harness.IssueAndWait(Commands.ReadDmaExt(50_016, 16), new byte[8192]);
        long secondLatency = second.Time - start;

        Assert.True(secondLatency * 10 < firstLatency, $"first {firstLatency} ns, second {secondLatency} ns");
        Assert.Equal(1, harness.Drive.Statistics.ReadAheadHits);
        Assert.Equal(1, harness.Drive.Statistics.CacheMisses);
    }

    [Fact]
    public void A_sequential_stream_runs_at_the_media_rate_thanks_to_read_ahead()
    {
        var harness = new DriveHarness();
        const int reads = 64, sectors = 128;
        long start = harness.Simulation.Now;
        for (int i = 0; i < reads; i++)
            harness.IssueAndWait(Commands.ReadDmaExt(200_000 + (long)i * sectors, sectors), new byte[sectors * 512]);
        long elapsed = harness.Simulation.Now - start;
        long mediaTime = harness.Media.PositioningNs + (long)reads * sectors * harness.Media.NsPerSector;
        Assert.InRange(elapsed, mediaTime, mediaTime * 105 / 100);
        Assert.Equal(reads - 1, harness.Drive.Statistics.ReadAheadHits);
    }

    [Fact]
    public void A_random_read_after_read_ahead_starts_from_where_the_read_ahead_was_cut()
    {
        var harness = new DriveHarness();
        harness.IssueAndWait(Commands.ReadDmaExt(10_000, 8), new byte[4096]);
        harness.Simulation.RunUntil(harness.Simulation.Now + 20 * harness.Media.NsPerSector);
        harness.IssueAndWait(Commands.ReadDmaExt(600_000, 8), new byte[4096]);

        MediaAccess[] reads = harness.Media.Accesses.Where(a => a.Operation == MediaOperation.Read).ToArray();
        MediaAccess readAhead = reads[^2];
        Assert.Equal(10_008, readAhead.Lba);
        // Streaming from the demand read's end: ~3 sectors until its completion FIS, 20 while the host waits, 20
        // during the next command's 50 µs overhead; then the medium is told, and the random read starts from there.
        Assert.InRange(readAhead.Count, 40, 46);
        Assert.Equal(600_000, reads[^1].Lba);
        Assert.True(reads[^1].Start >= readAhead.End);
    }

    [Fact]
    public void Trim_discards_data_so_reads_return_zeros_and_dirty_data_never_reaches_the_medium()
    {
        var harness = new DriveHarness();
        harness.Write(0, DriveHarness.Pattern(64 * 512, seed: 16), fua: true);
        harness.IssueAndWait(Commands.WriteDmaExt(100, 8), DriveHarness.Pattern(4096, seed: 17));

        FisRecord done = harness.Execute(Commands.Trim(1), Commands.TrimRanges((8, 16), (100, 8)));
        Assert.Equal(AtaStatus.Drdy, done.Status);
        Assert.Equal(new byte[16 * 512], harness.Read(8, 16));
        Assert.Equal(new byte[4096], harness.Read(100, 8));
        Assert.Equal(new byte[4096], harness.StoreBytes(100, 8));
        Assert.NotEqual(new byte[512], harness.Read(7, 1));
        Assert.Equal([(8L, 16L), (100L, 8L)], harness.Media.Trims);
    }

    [Fact]
    public void Trim_is_aborted_without_support_with_bad_ranges_or_without_the_trim_bit()
    {
        var noTrim = new DriveHarness(DriveHarness.DefaultProfile() with { SupportsTrim = false });
        Assert.Equal(AtaError.Abrt, noTrim.Execute(Commands.Trim(1), Commands.TrimRanges((0, 8))).Error);

        var harness = new DriveHarness();
        long capacity = harness.Drive.CapacitySectors;
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.Trim(1), Commands.TrimRanges((capacity - 4, 8))).Error);
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.NonData(AtaCommand.DataSetManagement, features: 0, count: 1), Commands.TrimRanges((0, 8))).Error);
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.Trim(9), new byte[9 * 512]).Error);
        Assert.Empty(harness.Media.Trims);
    }

    [Fact]
    public void A_drive_without_cache_supports_neither_write_cache_nor_look_ahead()
    {
        var harness = new DriveHarness(DriveHarness.DefaultProfile() with { CacheBytes = 0, ReadAheadBytes = 0 });
        Assert.False(harness.Drive.WriteCacheEnabled);
        Assert.Equal(AtaError.Abrt, harness.Execute(Commands.NonData(AtaCommand.SetFeatures, features: 0x02)).Error);
        byte[] data = DriveHarness.Pattern(4096, seed: 18);
        harness.IssueAndWait(Commands.WriteDmaExt(10, 8), data);
        Assert.Equal(data, harness.StoreBytes(10, 8));
        Assert.Equal(data, harness.Read(10, 8));
    }
}
