using System.Numerics;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.FullStack;

/// <summary>
/// NCQ on the 7200 RPM disk: 32 tags at random places issued at once; the drive serves them in the order its head
/// reaches them, so the PxSACT bits the interrupt handler sees clearing come in another order than the tags went out.
/// </summary>
public class NcqCompletionOrderTests
{
    private const int Tags = 32;
    private const int SectorsPerTag = 8;

    private sealed record Workload(long[] Lbas, byte[][] Data);

    private static Workload RandomWorkload(MachineRig rig, string stream)
    {
        SimRandom random = rig.Simulation.CreateRandom(stream);
        long slots = rig.CapacitySectors / SectorsPerTag;
        var lbas = new long[Tags];
        var data = new byte[Tags][];
        for (int tag = 0; tag < Tags; tag++)
        {
            lbas[tag] = random.NextInt64(slots) * SectorsPerTag;
            data[tag] = MachineRig.Pattern(SectorsPerTag * MachineRig.SectorSize, StableHash.Fnv1a64($"{stream}/{tag}"), lbas[tag]);
        }
        return new Workload(lbas, data);
    }

    /// <summary>Tags in the order the interrupt handler saw their PxSACT bits clear (ascending within one interrupt).</summary>
    private static List<int> RecordCompletionOrder(MachineRig rig, Func<uint> issue)
    {
        var order = new List<int>();
        uint outstanding = 0;
        rig.Driver.PortInterruptObserver = (port, _) =>
        {
            uint active = rig.Driver.Read(port, PortRegister.Sact);
            for (uint done = outstanding & ~active; done != 0; done &= done - 1)
                order.Add(BitOperations.TrailingZeroCount(done));
            outstanding &= active;
        };
        outstanding = issue();
        CommandResult result = rig.Driver.WaitForCompletion(MachineRig.Port, outstanding);
        Assert.True(result.Succeeded, result.ToString());
        // The last completion's interrupt arrives after the registers show it.
        Assert.True(rig.Driver.RunUntil(() => order.Count == Tags, 1_000_000), $"{order.Count} completions seen");
        rig.Driver.PortInterruptObserver = null;
        return order;
    }

    private static uint IssueAll(MachineRig rig, Workload workload, bool write, DmaBuffer buffer)
    {
        var commands = new List<AhciCommand>();
        int bytes = SectorsPerTag * MachineRig.SectorSize;
        for (int tag = 0; tag < Tags; tag++)
        {
            DmaSegment segment = buffer.Slice(tag * bytes, bytes);
            if (write)
            {
                workload.Data[tag].CopyTo(buffer.Span.Slice(tag * bytes, bytes));
                commands.Add(AhciCommand.Write(AtaCommands.WriteFpdma(tag, workload.Lbas[tag], SectorsPerTag), segment));
            }
            else
            {
                commands.Add(AhciCommand.Read(AtaCommands.ReadFpdma(tag, workload.Lbas[tag], SectorsPerTag), segment));
            }
        }
        return rig.Driver.IssueQueued(MachineRig.Port, commands);
    }

    [Fact]
    public void Thirty_two_queued_reads_at_random_lbas_complete_out_of_issue_order_with_all_data_correct()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        Workload workload = RandomWorkload(rig, "ncq-32-read");
        for (int tag = 0; tag < Tags; tag++)
            rig.Write(DmaMode.Lba48, workload.Lbas[tag], workload.Data[tag]);
        Assert.True(rig.Flush().Succeeded); // the reads must go to the medium, where order is the head's choice
        long reordersBefore = rig.Drive.Statistics.NcqReorders;
        int bytes = SectorsPerTag * MachineRig.SectorSize;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(Tags * bytes);
        buffer.Span.Fill(0xEE);

        List<int> order = RecordCompletionOrder(rig, () => IssueAll(rig, workload, write: false, buffer));

        Assert.Equal(Enumerable.Range(0, Tags), order.Order());
        Assert.NotEqual(Enumerable.Range(0, Tags), order);
        Assert.True(rig.Drive.Statistics.NcqReorders > reordersBefore);
        for (int tag = 0; tag < Tags; tag++)
            Assert.True(workload.Data[tag].AsSpan().SequenceEqual(buffer.Span.Slice(tag * bytes, bytes)), $"tag {tag}");
        Assert.Equal("", rig.Warnings());
    }

    [Fact]
    public void Thirty_two_queued_writes_at_random_lbas_all_land_and_read_back()
    {
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        Workload workload = RandomWorkload(rig, "ncq-32-write");
        int bytes = SectorsPerTag * MachineRig.SectorSize;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(Tags * bytes);

        List<int> order = RecordCompletionOrder(rig, () => IssueAll(rig, workload, write: true, buffer));

        Assert.Equal(Enumerable.Range(0, Tags), order.Order());
        Assert.True(rig.Flush().Succeeded);
        for (int tag = 0; tag < Tags; tag++)
            Assert.Equal(workload.Data[tag], rig.Read(DmaMode.Ncq, workload.Lbas[tag], bytes));
    }

    [Fact]
    public void Thirty_two_queued_writes_with_the_write_cache_off_complete_out_of_issue_order()
    {
        // Write-through: each write completes when its sectors are on the medium, so the head's order shows.
        using MachineRig rig = MachineRig.Start(MachineRig.Preset("hdd-7200"));
        Assert.True(rig.Execute(AtaCommands.SetFeature(AtaCommands.DisableWriteCache)).Succeeded);
        Workload workload = RandomWorkload(rig, "ncq-32-write-through");
        int bytes = SectorsPerTag * MachineRig.SectorSize;
        DmaBuffer buffer = rig.Driver.AllocateBuffer(Tags * bytes);

        List<int> order = RecordCompletionOrder(rig, () => IssueAll(rig, workload, write: true, buffer));

        Assert.NotEqual(Enumerable.Range(0, Tags), order);
        Assert.Equal(0, rig.Drive.DirtySectors);
        for (int tag = 0; tag < Tags; tag++)
            Assert.Equal(workload.Data[tag], rig.Read(DmaMode.Lba48, workload.Lbas[tag], bytes));
    }
}
