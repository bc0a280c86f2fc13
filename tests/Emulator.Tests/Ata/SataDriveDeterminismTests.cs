using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Tests.Ata.Fakes;

namespace Hardware.Emulator.Tests.Ata;

public class SataDriveDeterminismTests
{
    private static (List<FisRecord> Timeline, ulong EventHash, long Events) RunMixedWorkload()
    {
        var faults = new FaultPlan();
        faults.AddUnreadable(123_456);
        var harness = new DriveHarness(faults: faults, configureMedia: media =>
        {
            media.PositioningNs = 700_000;
            media.SeekNsPerSector = 7;
        });
        harness.Simulation.EnableEventLog();
        var random = new Random(42);

        for (int round = 0; round < 3; round++)
        {
            for (int tag = 0; tag < 32; tag++)
            {
                bool read = random.Next(3) != 0;
                long lba = random.Next(0, 1 << 16) * 16L;
                int sectors = 8 << random.Next(3);
                var buffer = read ? new byte[sectors * 512] : DriveHarness.Pattern(sectors * 512, random.Next());
                harness.Host.Issue(Commands.Fpdma(read, tag, lba, sectors, fua: random.Next(8) == 0), buffer);
            }
            harness.Simulation.Run();
            harness.Execute(Commands.ReadLogExt(LogAddress.NcqCommandError), new byte[512]);
            harness.Execute(Commands.Trim(1), Commands.TrimRanges((random.Next(0, 1 << 16) * 16L, 64)));
            harness.IssueAndWait(Commands.WriteDmaExt(random.Next(0, 1 << 16) * 16L, 64), DriveHarness.Pattern(64 * 512, round));
            harness.Drive.PowerLoss();
            harness.PowerOn();
            harness.Execute(Commands.NonData(AtaCommand.FlushCacheExt));
        }
        return (harness.Host.Timeline, harness.Simulation.Log!.Hash, harness.Simulation.Log.Count);
    }

    [Fact]
    public void The_same_inputs_give_the_same_fis_timeline_and_event_sequence()
    {
        var first = RunMixedWorkload();
        var second = RunMixedWorkload();
        Assert.True(first.Timeline.Count > 300);
        Assert.Equal(first.Timeline, second.Timeline);
        Assert.Equal(first.EventHash, second.EventHash);
        Assert.Equal(first.Events, second.Events);
    }
}
