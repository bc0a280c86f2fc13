using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// One mixed workload on the 7200 RPM disk through the HBA: queued random writes and reads at several depths, a
/// flush, an IDNF error, an NCQ error on an unreadable sector with its log read, all recovered as a driver would. The
/// whole run is a function of the machine's seed: the event log (every event's time, sequence, target, argument)
/// and the data read back are the same for the same seed, and the workload, drawn from the machine's own random
/// streams, differs for another seed.
/// </summary>
public class DeterminismTests
{
    private const int SectorsPerIo = 16;
    private const int Regions = 48;

    private readonly record struct RunResult(ulong EventHash, long EventCount, ulong DataHash, long EndTime);

    private static RunResult RunMixedWorkload(ulong seed)
    {
        var faults = new FaultPlan();
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"), seed, faults, eventLog: true);
        AhciTestDriver driver = rig.Driver;
        SimRandom random = rig.Simulation.CreateRandom("mixed-workload");
        int bytes = SectorsPerIo * MachineRig.SectorSize;

        // Distinct, non-overlapping regions, each with its own content.
        var lbas = new List<long>();
        var seen = new HashSet<long>();
        while (lbas.Count < Regions)
        {
            long lba = random.NextInt64(rig.CapacitySectors / SectorsPerIo) * SectorsPerIo;
            if (seen.Add(lba))
                lbas.Add(lba);
        }
        byte[][] contents = lbas.Select((lba, i) => MachineRig.Pattern(bytes, random.NextUInt64(), lba)).ToArray();
        DmaBuffer buffer = driver.AllocateBuffer(32 * bytes);

        // Queued writes at depth 4, then at depth 1 and 8 (each tag keeps its own slice of the buffer).
        int next = 0;
        AhciCommand WriteNext(int tag)
        {
            int region = next++;
            contents[region].CopyTo(buffer.Span.Slice(tag * bytes, bytes));
            return AhciCommand.Write(AtaCommands.WriteFpdma(tag, lbas[region], SectorsPerIo), buffer.Slice(tag * bytes, bytes));
        }
        rig.RunQueued(4, 16, WriteNext);
        rig.RunQueued(1, 8, WriteNext);
        rig.RunQueued(8, Regions - 24, WriteNext);
        Assert.True(rig.Flush().Succeeded);

        // An IDNF error on a non-queued read, and recovery.
        CommandResult idnf = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(rig.CapacitySectors - 1, 8), buffer.Slice(0, 4096)));
        Assert.Equal(Hardware.Emulator.Sata.AtaError.Idnf, idnf.Error);
        rig.Recover();

        // Queued random reads at depth 32 over the written regions and elsewhere.
        rig.RunQueued(32, 200, tag =>
        {
            long lba = random.NextInt64(2) == 0
                ? lbas[random.NextInt32(Regions)]
                : random.NextInt64(rig.CapacitySectors / SectorsPerIo) * SectorsPerIo;
            return AhciCommand.Read(AtaCommands.ReadFpdma(tag, lba, SectorsPerIo), buffer.Slice(tag * bytes, bytes));
        });

        // An NCQ error: a sector goes bad under a queued read; the driver restarts the port and reads log 10h.
        long bad = lbas[random.NextInt32(Regions)] + random.NextInt32(SectorsPerIo);
        faults.AddUnreadable(bad);
        CommandResult ncqError = driver.Execute(MachineRig.Port,
            AhciCommand.Read(AtaCommands.ReadFpdma(7, bad, 1), buffer.Slice(0, 512)));
        Assert.True(ncqError.Has(PortInterrupts.Tfes), ncqError.ToString());
        rig.Recover();
        DmaBuffer log = driver.AllocateBuffer(512);
        Assert.True(rig.Execute(AhciCommand.Read(AtaCommands.ReadLog(AtaCommands.NcqCommandErrorLog), log.Segment)).Succeeded);
        Assert.Equal(7, log.Span[0] & 0x1F);

        // Read everything back and fold it into one hash, except the region the bad sector now spoils.
        ulong dataHash = StableHash.Offset;
        for (int region = 0; region < Regions; region++)
        {
            long lba = lbas[region];
            if (bad >= lba && bad < lba + SectorsPerIo)
                continue;
            byte[] read = rig.Read(DmaMode.Lba48, lba, bytes);
            Assert.Equal(contents[region], read);
            for (int i = 0; i < read.Length; i += 8)
                dataHash = StableHash.Add(dataHash, BitConverter.ToInt64(read, i));
        }

        EventLog events = rig.Simulation.Log!;
        return new RunResult(events.Hash, events.Count, dataHash, rig.Simulation.Now);
    }

    [Fact]
    public void The_same_seed_gives_the_same_event_log_and_data_on_a_fresh_machine()
    {
        RunResult first = RunMixedWorkload(seed: 7);
        RunResult second = RunMixedWorkload(seed: 7);

        Assert.True(first.EventCount > 1_000, $"only {first.EventCount} events"); // some 300 commands, each several events
        Assert.Equal(first.EventCount, second.EventCount);
        Assert.Equal(first.EventHash, second.EventHash);
        Assert.Equal(first.DataHash, second.DataHash);
        Assert.Equal(first.EndTime, second.EndTime);
    }

    [Fact]
    public void A_different_seed_gives_a_different_event_log()
    {
        RunResult first = RunMixedWorkload(seed: 7);
        RunResult other = RunMixedWorkload(seed: 8);

        Assert.NotEqual(first.EventHash, other.EventHash);
        Assert.NotEqual(first.DataHash, other.DataHash);
    }
}
