using System.Buffers.Binary;
using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>Non-queued commands end to end: fetch, data through the PRDT, PRDBC, received FISes, PIO.</summary>
public class AhciCommandTests
{
    private static DeviceScript DmaRead(long bytes) =>
        new DeviceScript().After(3_000).DataIn(bytes, AhciRig.Pattern).After(1_000).RegisterD2H();

    private static DeviceScript DmaWrite(int bytes) =>
        new DeviceScript().After(3_000).DataOut(bytes).After(1_000).RegisterD2H();

    [Fact]
    public void A_dma_read_fills_every_segment_of_a_multi_entry_prdt_in_order_and_reports_prdbc()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        DmaBuffer a = driver.AllocateBuffer(4096);
        DmaBuffer b = driver.AllocateBuffer(8192);
        DmaBuffer c = driver.AllocateBuffer(4096);
        DmaSegment[] segments = [a.Slice(0, 1024), b.Slice(512, 6144), c.Slice(2048, 1024)];
        rig.Device.OnCommand = _ => DmaRead(8192);

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(100, 16), segments));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(8192u, result.PrdByteCount);
        long offset = 0;
        foreach (DmaSegment segment in segments)
        {
            byte[] expected = Enumerable.Range(0, segment.Length).Select(i => AhciRig.Pattern(offset + i)).ToArray();
            Assert.Equal(expected, driver.Memory.GetSpan(segment.Address, segment.Length).ToArray());
            offset += segment.Length;
        }
        Assert.All(b.Span[..512].ToArray(), x => Assert.Equal(0, x)); // nothing outside the PRDT was touched
        Assert.All(b.Span[(512 + 6144)..].ToArray(), x => Assert.Equal(0, x));
        Assert.Equal([DmaStatus.Ok], rig.Device.DataPhases);
    }

    [Fact]
    public void The_device_receives_the_command_fis_exactly_as_written_in_the_cfis()
    {
        using var rig = AhciRig.Start();
        RegisterH2DFis fis = AtaCommands.WriteDma48(0x0000_1234_5678_9ABC & 0xFFFF_FFFF_FFFF, 65536) with { Features = 0x0102, Icc = 7, Control = 0x08 };
        rig.Device.OnCommand = _ => new DeviceScript().RegisterD2H();
        rig.Execute(AhciCommand.NoData(fis));
        Assert.Equal(fis, rig.Device.Commands.Single().Fis);
    }

    [Fact]
    public void A_dma_write_delivers_the_prdt_segments_to_the_device_in_order()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        DmaBuffer a = driver.AllocateBuffer(4096);
        DmaBuffer b = driver.AllocateBuffer(4096);
        for (int i = 0; i < 4096; i++)
        {
            a.Span[i] = AhciRig.Pattern(i);
            b.Span[i] = AhciRig.Pattern2(i);
        }
        rig.Device.OnCommand = _ => DmaWrite(3072);

        CommandResult result = rig.Execute(AhciCommand.Write(AtaCommands.WriteDma28(7, 6), a.Slice(1024, 2048), b.Slice(0, 1024)));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(3072u, result.PrdByteCount);
        byte[] expected = [.. a.Span.Slice(1024, 2048).ToArray(), .. b.Span[..1024].ToArray()];
        Assert.Equal(expected, rig.Device.LastDataOut);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_4_KiB_transfer_over_32_byte_prd_entries_moves_every_byte(bool write)
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        DmaBuffer buffer = driver.AllocateBuffer(4096);
        if (write)
        {
            for (int i = 0; i < 4096; i++)
                buffer.Span[i] = AhciRig.Pattern2(i);
        }
        rig.Device.OnCommand = _ => write ? DmaWrite(4096) : DmaRead(4096);
        var command = (write ? AhciCommand.Write(AtaCommands.WriteDma48(0, 8), buffer.Segment) : AhciCommand.Read(AtaCommands.ReadDma48(0, 8), buffer.Segment))
            with { PrdEntrySize = 32 };

        CommandResult result = rig.Execute(command);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(128, driver.ReadCommandHeader(0, result.Slot).PrdTableLength);
        Assert.Equal(4096u, result.PrdByteCount);
        byte[] expected = Enumerable.Range(0, 4096).Select(i => write ? AhciRig.Pattern2(i) : AhciRig.Pattern(i)).ToArray();
        Assert.Equal(expected, write ? rig.Device.LastDataOut : buffer.Span.ToArray());
    }

    [Fact]
    public void A_short_transfer_reports_the_bytes_actually_moved_in_prdbc()
    {
        using var rig = AhciRig.Start();
        DmaBuffer buffer = rig.Driver.AllocateBuffer(8192);
        rig.Device.OnCommand = _ => DmaRead(1536);
        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 16), buffer.Segment));
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(1536u, result.PrdByteCount);
    }

    [Fact]
    public void The_final_d2h_fis_is_posted_to_the_received_fis_area_and_raises_dhrs()
    {
        using var rig = AhciRig.Start();
        rig.Device.OnCommand = _ => new DeviceScript().RegisterD2H(AtaStatus.Drdy);
        CommandResult result = rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));

        Assert.True(result.Has(PortInterrupts.Dhrs), result.ToString());
        RegisterD2HFis posted = RegisterD2HFis.Read(rig.Driver.ReceivedFis(0)[ReceivedFisLayout.RegisterD2HOffset..]);
        Assert.Equal((byte)FisType.RegisterDeviceToHost, rig.Driver.ReceivedFis(0)[ReceivedFisLayout.RegisterD2HOffset]);
        Assert.Equal(AtaStatus.Drdy, posted.Status);
        Assert.True(posted.Interrupt);
        Assert.Equal(0x40u, result.TaskFileData);
    }

    [Fact]
    public void A_d2h_fis_without_the_interrupt_bit_completes_the_command_without_dhrs()
    {
        using var rig = AhciRig.Start();
        rig.Device.OnCommand = _ => new DeviceScript().After(1_000).RegisterD2H(interrupt: false);
        CommandResult result = rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.True(result.Succeeded, result.ToString());
        Assert.False(result.Has(PortInterrupts.Dhrs));
    }

    [Fact]
    public void With_fis_receive_off_nothing_is_posted_but_the_task_file_is_still_updated()
    {
        using var rig = AhciRig.Start();
        AhciTestDriver driver = rig.Driver;
        driver.Write(0, PortRegister.Cmd, driver.Read(0, PortRegister.Cmd) & ~(uint)PortCommand.Fre);
        driver.ReceivedFis(0).Fill(0xCC);
        rig.Device.OnCommand = _ => new DeviceScript().RegisterD2H(AtaStatus.Drdy | (AtaStatus)0x10);
        CommandResult result = rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));

        Assert.True(result.Completed, result.ToString());
        Assert.Equal(0x50u, result.TaskFileData);
        Assert.All(driver.ReceivedFis(0).ToArray(), x => Assert.Equal(0xCC, x));
    }

    [Fact]
    public void A_pio_data_in_command_completes_with_the_pio_setup_end_status_and_raises_pss()
    {
        using var rig = AhciRig.Start();
        DmaBuffer buffer = rig.Driver.AllocateBuffer(512);
        rig.Device.OnCommand = _ => new DeviceScript()
            .After(2_000)
            .PioSetup(512, toHost: true, endStatus: AtaStatus.Drdy)
            .DataIn(512, AhciRig.Pattern);

        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.Identify(), buffer.Segment));

        Assert.True(result.Succeeded, result.ToString());
        Assert.True(result.Has(PortInterrupts.Pss), result.ToString());
        Assert.Equal(0x40u, result.TaskFileData);
        Assert.Equal(512u, result.PrdByteCount);
        Assert.Equal(Enumerable.Range(0, 512).Select(i => AhciRig.Pattern(i)).ToArray(), buffer.Span.ToArray());
        Span<byte> posted = rig.Driver.ReceivedFis(0)[ReceivedFisLayout.PioSetupOffset..];
        Assert.Equal((byte)FisType.PioSetup, posted[0]);
        Assert.Equal((ushort)512, BinaryPrimitives.ReadUInt16LittleEndian(posted[16..]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Prd_entries_with_the_interrupt_bit_raise_dps_once_transferred(bool interruptBit)
    {
        using var rig = AhciRig.Start();
        DmaBuffer buffer = rig.Driver.AllocateBuffer(8192);
        rig.Device.OnCommand = _ => DmaRead(8192);
        CommandResult result = rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 16), buffer.Segment) with
        {
            PrdEntrySize = 4096,
            InterruptOnEachPrd = interruptBit,
        });
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(interruptBit, result.Has(PortInterrupts.Dps));
    }

    [Fact]
    public void A_data_phase_with_no_command_in_flight_is_refused()
    {
        using var rig = AhciRig.Start();
        Assert.Equal(DmaStatus.NoActiveCommand, rig.Device.Host!.MapHostBuffer(0, 512, out _));
    }
}
