using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Tests.TestKit;
using Hardware.Testing;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.Ahci;

/// <summary>The HBA's per-command path (MMIO, fetch, FIS reception, PRDT walk, interrupt) allocates nothing once warm.</summary>
public class AhciSteadyStateTests
{
    /// <summary>A device that reads back a fixed byte for every command, without allocating: events carry no closures.</summary>
    private sealed class EchoDevice(Sim simulation) : ISataDevice, ISimEventHandler
    {
        private ISataHostPort? _host;
        private int _bytes;

        public SataGeneration MaxGeneration => SataGeneration.Gen3;

        public void Attach(ISataHostPort host) => _host = host;

        public void ComReset(SataGeneration negotiated) => simulation.Schedule(1_000, this, 0);

        public void ReceiveCommand(in RegisterH2DFis fis)
        {
            _bytes = fis.Count * 512;
            simulation.Schedule(2_000, this, 1);
        }

        public void OnEvent(long argument)
        {
            if (argument == 0)
            {
                _host!.ReceiveRegisterD2H(new RegisterD2HFis { Status = AtaStatus.Drdy, Count = 1, Lba = 1 });
                return;
            }
            long moved = 0;
            while (moved < _bytes && _host!.MapHostBuffer(moved, _bytes - (int)moved, out Span<byte> piece) == DmaStatus.Ok)
            {
                piece.Fill(0x5A);
                moved += piece.Length;
            }
            _host!.CompleteDataPhase(moved);
            _host.ReceiveRegisterD2H(new RegisterD2HFis { Status = AtaStatus.Drdy, Interrupt = true });
        }
    }

    /// <summary>An interrupt handler that acknowledges port 0 through MMIO, allocation-free.</summary>
    private sealed class Acknowledger(MmioBus mmio, ulong abar) : IInterruptHandler
    {
        public int Count { get; private set; }

        public void HandleInterrupt(int vector)
        {
            Count++;
            ulong portIs = abar + (ulong)AhciLayout.PortRegisterOffset(0, PortRegister.Is);
            mmio.Write32(portIs, mmio.Read32(portIs));
            mmio.Write32(abar + (ulong)HbaRegister.Is, 1);
        }
    }

    [Fact]
    public void Steady_state_commands_allocate_nothing()
    {
        using var platform = new TestPlatform();
        var device = new EchoDevice(platform.Simulation);
        platform.AttachDevice(0, device);
        AhciTestDriver driver = platform.CreateDriver();
        driver.Initialize(interrupts: false);
        Assert.True(driver.StartPort(0));
        var acknowledger = new Acknowledger(platform.Mmio, driver.Abar);
        platform.Interrupts.RegisterHandler(driver.ReadConfig8((int)PciConfigRegister.InterruptLine), acknowledger);
        driver.Write(HbaRegister.Ghc, (uint)(GlobalHbaControl.Ae | GlobalHbaControl.Ie));
        DmaBuffer buffer = driver.AllocateBuffer(16 * 1024);
        // Prepare slot 0 once (a 16-entry PRDT); every iteration re-issues it with one MMIO write.
        CommandResult first = driver.Execute(0, AhciCommand.Read(AtaCommands.ReadDma48(0, 32), buffer.Segment) with { PrdEntrySize = 1024, Slot = 0 });
        Assert.True(first.Succeeded, first.ToString());
        ulong ci = driver.Abar + (ulong)AhciLayout.PortRegisterOffset(0, PortRegister.Ci);
        Sim sim = platform.Simulation;

        void RunCommands(int count)
        {
            for (int i = 0; i < count; i++)
            {
                platform.Mmio.Write32(ci, 1);
                while (sim.Step())
                {
                }
            }
        }

        RunCommands(100); // warm up: event queue and pools reach their size
        int interruptsBefore = acknowledger.Count;
        long allocated = AllocationMeter.LeastOf(4, () => RunCommands(250));

        Assert.Equal(0, allocated);
        Assert.Equal(1_000, acknowledger.Count - interruptsBefore);
        Assert.Equal(0u, platform.Mmio.Read32(ci));
        Assert.Equal(16 * 1024u, driver.ReadCommandHeader(0, 0).PrdByteCount);
        Assert.Empty(platform.Warnings);
    }
}
