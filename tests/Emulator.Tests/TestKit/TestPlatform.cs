using Hardware.Emulator.Ahci;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Sim = Hardware.Emulator.Simulation.Simulation;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>
/// A small emulated machine for device tests: simulation, guest memory with a page allocator, device log, PCI bus,
/// MMIO bus, interrupt controller and an AHCI HBA at 00:1f.2 (where ICH9 puts it). Attach devices, then
/// <see cref="PowerOn"/> runs the firmware; tests then drive the HBA through <see cref="CreateDriver"/> only.
/// </summary>
public sealed class TestPlatform : IDisposable
{
    public const int HbaDevice = 31;
    public const int HbaFunction = 2;

    public TestPlatform(AhciHbaOptions? options = null, long memoryBytes = 64L << 20, ulong seed = 1, long interruptLatency = 1_000)
    {
        Simulation = new Sim(seed);
        Memory = new GuestMemory(memoryBytes);
        Frames = new PageFrameAllocator(Memory);
        Log = new DeviceLog(Simulation);
        Pci = new PciBus(Log);
        Mmio = new MmioBus(Log);
        Interrupts = new InterruptController(Simulation, Log, interruptLatency);
        Hba = new AhciHba(Simulation, Memory, Interrupts, Log, options);
        Pci.Attach(Hba, HbaDevice, HbaFunction);
    }

    public Sim Simulation { get; }

    public GuestMemory Memory { get; }

    public PageFrameAllocator Frames { get; }

    public DeviceLog Log { get; }

    public PciBus Pci { get; }

    public MmioBus Mmio { get; }

    public InterruptController Interrupts { get; }

    /// <summary>The HBA object: tests attach devices with it, and never touch it otherwise.</summary>
    public AhciHba Hba { get; }

    public bool PoweredOn { get; private set; }

    public void AttachDevice(int port, ISataDevice device) => Hba.AttachDevice(port, device);

    public ScriptedSataDevice AttachScriptedDevice(int port, SataGeneration maxGeneration = SataGeneration.Gen3)
    {
        var device = new ScriptedSataDevice(Simulation, maxGeneration);
        AttachDevice(port, device);
        return device;
    }

    /// <summary>The BIOS step: BARs, interrupt line, memory decoding.</summary>
    public void PowerOn()
    {
        if (PoweredOn)
            return;
        PciFirmware.AssignResources(Pci, Mmio);
        PoweredOn = true;
    }

    /// <summary>A driver bound to this machine's buses (powers on first if needed).</summary>
    public AhciTestDriver CreateDriver()
    {
        PowerOn();
        return new AhciTestDriver(Simulation, Pci, Mmio, Memory, Frames, Interrupts);
    }

    /// <summary>Log entries at warning level or above, as text (for assertions and failure messages).</summary>
    public IReadOnlyList<string> Warnings =>
        Log.Entries.Where(e => e.Level >= DeviceLogLevel.Warning).Select(e => e.ToString()).ToList();

    public void Dispose() => Memory.Dispose();
}
