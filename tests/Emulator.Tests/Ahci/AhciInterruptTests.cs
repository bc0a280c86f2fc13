using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Tests.TestKit;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>The interrupt follows PxIS &amp; PxIE, IS and GHC.IE, as an INTx level or MSI messages, after the platform's latency.</summary>
public class AhciInterruptTests
{
    public static TheoryData<bool, bool, bool> Enables()
    {
        var data = new TheoryData<bool, bool, bool>();
        foreach (bool ghcIe in new[] { false, true })
            foreach (bool portIe in new[] { false, true })
                foreach (bool intxDisabled in new[] { false, true })
                    data.Add(ghcIe, portIe, intxDisabled);
        return data;
    }

    [Theory]
    [MemberData(nameof(Enables))]
    public void The_intx_level_is_pxis_and_pxie_and_ghc_ie_unless_pci_masks_it(bool ghcIe, bool portIe, bool intxDisabled)
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        int irq = driver.ReadConfig8((int)PciConfigRegister.InterruptLine);
        driver.Write(0, PortRegister.Ie, portIe ? (uint)PortInterrupts.Dhrs : 0);
        driver.Write(HbaRegister.Ghc, (uint)GlobalHbaControl.Ae | (ghcIe ? (uint)GlobalHbaControl.Ie : 0));
        ushort command = driver.ReadConfig16((int)PciConfigRegister.Command);
        driver.WriteConfig16((int)PciConfigRegister.Command,
            intxDisabled ? (ushort)(command | (ushort)PciCommand.InterruptDisable) : (ushort)(command & ~(ushort)PciCommand.InterruptDisable));

        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));

        bool pending = ghcIe && portIe;
        Assert.Equal(pending && !intxDisabled, rig.Platform.Interrupts.IsAsserted(irq));
        ushort status = driver.ReadConfig16((int)PciConfigRegister.Status);
        Assert.Equal(pending, (status & (ushort)PciStatus.InterruptStatus) != 0);
        Assert.Equal(portIe ? 1u : 0u, driver.Read(HbaRegister.Is));
    }

    [Fact]
    public void The_line_drops_once_software_clears_pxis_then_is_and_rises_when_a_pending_status_is_enabled()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        int irq = driver.ReadConfig8((int)PciConfigRegister.InterruptLine);
        driver.Write(HbaRegister.Ghc, (uint)(GlobalHbaControl.Ae | GlobalHbaControl.Ie));
        driver.Write(0, PortRegister.Ie, 0);
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.False(rig.Platform.Interrupts.IsAsserted(irq));

        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.Dhrs); // the status was already pending
        Assert.True(rig.Platform.Interrupts.IsAsserted(irq));

        driver.Write(HbaRegister.Is, 1); // IS first: the port still has an enabled status, so it stays asserted
        Assert.True(rig.Platform.Interrupts.IsAsserted(irq));
        driver.Write(0, PortRegister.Is, (uint)PortInterrupts.Dhrs);
        Assert.True(rig.Platform.Interrupts.IsAsserted(irq)); // IS is sticky until cleared
        driver.Write(HbaRegister.Is, 1);
        Assert.False(rig.Platform.Interrupts.IsAsserted(irq));

        driver.Write(0, PortRegister.Ie, 0);
        driver.Write(HbaRegister.Ghc, (uint)GlobalHbaControl.Ae);
        Assert.False(rig.Platform.Interrupts.IsAsserted(irq));
    }

    [Fact]
    public void Ghc_ie_gates_the_line_without_losing_the_pending_status()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        int irq = driver.ReadConfig8((int)PciConfigRegister.InterruptLine);
        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.Dhrs);
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.False(rig.Platform.Interrupts.IsAsserted(irq));
        driver.Write(HbaRegister.Ghc, (uint)(GlobalHbaControl.Ae | GlobalHbaControl.Ie));
        Assert.True(rig.Platform.Interrupts.IsAsserted(irq));
    }

    [Fact]
    public void With_msi_enabled_each_completion_sends_one_message_and_intx_stays_quiet()
    {
        using var rig = AhciRig.Start(msi: true);
        AhciTestDriver driver = rig.Driver;
        int irq = driver.ReadConfig8((int)PciConfigRegister.InterruptLine);
        bool intxSeen = false;
        for (int i = 0; i < 3; i++)
        {
            rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
            intxSeen |= rig.Platform.Interrupts.IsAsserted(irq);
            Assert.True(driver.RunUntil(() => driver.InterruptCount == i + 1, 1_000_000));
        }
        rig.Platform.Simulation.Run();
        Assert.Equal(3, driver.InterruptCount);
        Assert.False(intxSeen);
        Assert.Equal(3, rig.Platform.Interrupts.Delivered);
        Assert.True(driver.UsesMsi);
    }

    [Theory]
    [InlineData(20_000, 2, 1)]   // DHRS lands while the first message is still pending: two messages, coalesced into one delivery
    [InlineData(200_000, 2, 2)]  // DHRS after the first was serviced: two messages, two deliveries
    public void With_msi_every_new_status_bit_sends_a_message(long dhrsDelay, int messages, int deliveries)
    {
        using var rig = AhciRig.Start(msi: true, interruptLatency: 100_000);
        AhciTestDriver driver = rig.Driver;
        DmaBuffer buffer = driver.AllocateBuffer(4096);
        long before = rig.Platform.Interrupts.MessagesSignalled;
        rig.Device.OnCommand = _ => new DeviceScript().DataIn(4096, AhciRig.Pattern).After(dhrsDelay).RegisterD2H();
        rig.Execute(AhciCommand.Read(AtaCommands.ReadDma48(0, 8), buffer.Segment) with { InterruptOnEachPrd = true });
        rig.Platform.Simulation.Run();
        Assert.Equal(messages, rig.Platform.Interrupts.MessagesSignalled - before);
        Assert.Equal(deliveries, driver.InterruptCount);
        Assert.Equal((uint)(PortInterrupts.Dps | PortInterrupts.Dhrs), driver.SeenInterruptStatus(0) & (uint)(PortInterrupts.Dps | PortInterrupts.Dhrs));
    }

    [Fact]
    public void Msi_is_not_sent_while_bus_mastering_is_disabled()
    {
        using var rig = AhciRig.Start(msi: true);
        AhciTestDriver driver = rig.Driver;
        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.All);
        driver.EnableDevice(busMaster: false);
        driver.Write(0, PortRegister.Serr, 0xFFFF_FFFF);
        driver.Write(0, PortRegister.Sctl, SControl.DetComReset); // the link change raises PCS/PRCS without DMA
        driver.Write(0, PortRegister.Sctl, SControl.DetNoAction);
        rig.Platform.Simulation.Run();
        Assert.Equal(0, driver.InterruptCount);
        Assert.Contains(rig.Platform.Warnings, w => w.Contains("MSI not sent"));
    }

    public static TheoryData<bool, long> Latencies()
    {
        var data = new TheoryData<bool, long>();
        foreach (bool msi in new[] { false, true })
            foreach (long latency in new long[] { 0, 1_000, 37_000 })
                data.Add(msi, latency);
        return data;
    }

    [Theory]
    [MemberData(nameof(Latencies))]
    public void The_handler_runs_the_configured_latency_after_the_completing_fis(bool msi, long latency)
    {
        using var rig = AhciRig.Start(msi: msi, interruptLatency: latency);
        AhciTestDriver driver = rig.Driver;
        int before = driver.InterruptCount;
        rig.Device.OnCommand = _ => new DeviceScript().After(12_345).RegisterD2H();
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.True(driver.RunUntil(() => driver.InterruptCount > before, 10_000_000));
        Assert.Equal(rig.Device.LastFisTime + latency, driver.InterruptTimes[^1]);
    }

    [Fact]
    public void An_unrouted_interrupt_line_is_logged_instead_of_raising_anything()
    {
        using var rig = AhciRig.Start(interrupts: false);
        AhciTestDriver driver = rig.Driver;
        driver.WriteConfig16((int)PciConfigRegister.InterruptLine, 0x01FF); // line FFh: not connected
        driver.Write(0, PortRegister.Ie, (uint)PortInterrupts.Dhrs);
        driver.Write(HbaRegister.Ghc, (uint)(GlobalHbaControl.Ae | GlobalHbaControl.Ie));
        rig.Execute(AhciCommand.NoData(AtaCommands.FlushExt()));
        Assert.Contains(rig.Platform.Warnings, w => w.Contains("routes it nowhere"));
        Assert.Equal(0, rig.Platform.Interrupts.Delivered);
    }
}
