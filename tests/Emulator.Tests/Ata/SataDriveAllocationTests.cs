using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Tests.Ata.Fakes;
using Hardware.Testing;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveAllocationTests
{
    [Fact]
    public void Queued_reads_and_writes_in_steady_state_allocate_nothing_in_the_drive()
    {
        var harness = new DriveHarness(configureMedia: media =>
        {
            media.PositioningNs = 300_000;
            media.SeekNsPerSector = 3;
        });
        harness.Host.Record = false;
        harness.Media.Record = false;
        var buffers = new byte[32][];
        for (int tag = 0; tag < 32; tag++)
            buffers[tag] = DriveHarness.Pattern(8192, seed: tag);

        void Round(int round)
        {
            for (int tag = 0; tag < 32; tag++)
            {
                long lba = ((tag * 7919L + round * 104_729L) % 60_000) * 16;
                harness.Host.Issue(Commands.Fpdma(read: (tag + round) % 3 != 0, tag, lba, 16, fua: tag % 11 == 0), buffers[tag]);
            }
            harness.Simulation.Run();
            harness.Host.Issue(Commands.NonData(AtaCommand.FlushCacheExt));
            harness.Simulation.Run();
        }

        for (int round = 0; round < 20; round++)
            Round(round);

        // The least of three windows: the runtime itself (tiered JIT) may allocate on this thread now and then; a
        // drive that allocates per command does so in every window.
        int completions = harness.Host.SetDeviceBitsCount;
        int next = 20;
        long least = AllocationMeter.LeastOf(3, () =>
        {
            for (int round = 0; round < 10; round++)
                Round(next++);
        });

        Assert.True(harness.Host.SetDeviceBitsCount - completions >= 30 * 16, "the workload ran");
        Assert.True(least < 1024, $"{least} bytes allocated over 320 queued commands and 10 flushes");
    }
}
