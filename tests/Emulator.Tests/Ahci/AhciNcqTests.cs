using System.Buffers.Binary;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Native command queuing: all tags sent, PxCI cleared on acceptance, PxSACT cleared out of order by SDB FISes.</summary>
public class AhciNcqTests
{
    private const int SectorBytes = 512;

    private static byte TagPattern(int tag, long i) => (byte)(tag * 31 + i * 7);

    /// <summary>Accept at once, then after a delay that shrinks with the tag: DMA Setup, data, SDB for that tag.</summary>
    private static DeviceScript ReverseOrderRead(RegisterH2DFis fis)
    {
        int tag = fis.NcqTag;
        int bytes = fis.NcqSectorCount * SectorBytes;
        return new DeviceScript()
            .RegisterD2H(AtaStatus.Drdy, interrupt: false)
            .After((32 - tag) * 20_000L)
            .DmaSetup(tag, toHost: true)
            .DataIn(bytes, i => TagPattern(tag, i))
            .SetDeviceBits(1u << tag);
    }

    [Fact]
    public void Thirty_two_queued_reads_complete_out_of_order_and_clear_their_sact_bits_as_they_finish()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.OnCommand = ReverseOrderRead;
        var buffers = new DmaBuffer[32];
        var commands = new List<AhciCommand>();
        for (int tag = 0; tag < 32; tag++)
        {
            buffers[tag] = driver.AllocateBuffer(4096);
            commands.Add(AhciCommand.Read(AtaCommands.ReadFpdma(tag, tag * 8L, 8), buffers[tag].Segment));
        }

        uint mask = driver.IssueQueued(0, commands);
        Assert.Equal(0xFFFF_FFFFu, mask);
        Assert.True(driver.RunUntil(() => rig.Device.Commands.Count == 32 && driver.Read(0, PortRegister.Ci) == 0));
        Assert.Equal(0xFFFF_FFFFu, driver.Read(0, PortRegister.Sact)); // accepted, none completed yet

        var completionOrder = new List<int>();
        uint previous = driver.Read(0, PortRegister.Sact);
        bool done = driver.RunUntil(() =>
        {
            uint now = driver.Read(0, PortRegister.Sact);
            for (uint cleared = previous & ~now; cleared != 0; cleared &= cleared - 1)
                completionOrder.Add(System.Numerics.BitOperations.TrailingZeroCount(cleared));
            previous = now;
            return now == 0;
        });

        Assert.True(done);
        Assert.Equal(Enumerable.Range(0, 32).Reverse(), completionOrder);
        for (int tag = 0; tag < 32; tag++)
        {
            int t = tag;
            Assert.Equal(Enumerable.Range(0, 4096).Select(i => TagPattern(t, i)).ToArray(), buffers[tag].Span.ToArray());
        }
        uint seen = driver.SeenInterruptStatus(0);
        Assert.NotEqual(0u, seen & (uint)PortInterrupts.Sdbs);
        Assert.Equal(0u, seen & (uint)AhciTestDriver.ErrorInterrupts);
    }

    [Fact]
    public void Queued_commands_are_sent_one_at_a_time_each_after_the_device_releases_bsy()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.OnCommand = fis => new DeviceScript()
            .After(2_000)
            .RegisterD2H(AtaStatus.Drdy, interrupt: false)
            .After(50_000)
            .SetDeviceBits(1u << fis.NcqTag);
        var commands = Enumerable.Range(0, 4).Select(tag => AhciCommand.NoData(AtaCommands.ReadFpdma(tag, 0, 1))).ToList();

        driver.IssueQueued(0, commands);
        CommandResult result = driver.WaitForCompletion(0, 0xF);

        Assert.True(result.Succeeded, result.ToString());
        long[] sent = rig.Device.Commands.Select(c => c.Time).ToArray();
        for (int i = 1; i < sent.Length; i++)
            Assert.True(sent[i] - sent[i - 1] >= 2_000, $"command {i} went out before the previous one was accepted");
        Assert.True(sent[^1] - sent[0] < 50_000, "all commands were sent before the first completed");
    }

    [Fact]
    public void One_set_device_bits_fis_can_complete_several_tags_and_is_posted_to_the_received_fis_area()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        rig.Device.OnCommand = fis => fis.NcqTag == 5
            ? new DeviceScript().RegisterD2H(interrupt: false).After(10_000).SetDeviceBits(0b10_0110)
            : new DeviceScript().RegisterD2H(interrupt: false);
        var commands = new[] { 1, 2, 5 }.Select(tag => AhciCommand.NoData(AtaCommands.ReadFpdma(tag, 0, 1))).ToList();

        driver.IssueQueued(0, commands);
        CommandResult result = driver.WaitForCompletion(0, 0b10_0110);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(0u, result.SActive);
        Span<byte> sdb = driver.ReceivedFis(0)[ReceivedFisLayout.SetDeviceBitsOffset..];
        Assert.Equal((byte)FisType.SetDeviceBits, sdb[0]);
        Assert.Equal(0b10_0110u, BinaryPrimitives.ReadUInt32LittleEndian(sdb[4..]));
    }

    [Fact]
    public void Queued_writes_take_their_data_from_the_slot_named_by_dma_setup()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        var captured = new Dictionary<int, byte[]>();
        rig.Device.OnCommand = fis =>
        {
            int tag = fis.NcqTag;
            return new DeviceScript()
                .RegisterD2H(interrupt: false)
                .After((8 - tag) * 5_000L)
                .DmaSetup(tag, toHost: false)
                .DataOut(1024)
                .SetDeviceBits(1u << tag);
        };
        var buffers = Enumerable.Range(0, 8).Select(_ => driver.AllocateBuffer(1024)).ToArray();
        for (int tag = 0; tag < 8; tag++)
            buffers[tag].Span.Fill((byte)(0x10 + tag));

        var commands = Enumerable.Range(0, 8).Select(tag => AhciCommand.Write(AtaCommands.WriteFpdma(tag, tag * 2L, 2), buffers[tag].Segment)).ToList();
        driver.IssueQueued(0, commands);
        // Capture each tag's data as its phase ends (the device keeps only the last).
        var seen = new List<byte>();
        bool done = driver.RunUntil(() =>
        {
            if (rig.Device.LastDataOut.Length == 1024 && (seen.Count == 0 || seen[^1] != rig.Device.LastDataOut[0]))
                seen.Add(rig.Device.LastDataOut[0]);
            return driver.Read(0, PortRegister.Sact) == 0 && driver.Read(0, PortRegister.Ci) == 0;
        });

        Assert.True(done);
        Assert.Equal(Enumerable.Range(0, 8).Reverse().Select(tag => (byte)(0x10 + tag)), seen);
    }

    [Fact]
    public void Set_device_bits_for_a_tag_that_is_not_outstanding_is_logged()
    {
        using var rig = AhciRig.Start();
        rig.Device.OnCommand = fis => new DeviceScript().RegisterD2H(interrupt: false).SetDeviceBits((1u << fis.NcqTag) | 1u << 30);
        CommandResult result = rig.Driver.Execute(0, AhciCommand.NoData(AtaCommands.ReadFpdma(3, 0, 1)));
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains(rig.Platform.Warnings, w => w.Contains("not outstanding"));
    }
}
