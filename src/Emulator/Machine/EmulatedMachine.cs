using Hardware.Emulator.Ahci;
using Hardware.Emulator.Ata;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Storage;

namespace Hardware.Emulator.Machine;

/// <summary>
/// An assembled machine: simulation, guest memory, PCI bus with an AHCI controller at 00:1f.2 (where ICH9 puts
/// it), drives on its ports, interrupt controller, and the firmware's resource assignment done. Drivers get
/// <see cref="Platform"/>; the device objects are exposed only for fault injection, statistics and tests.
/// </summary>
public sealed class EmulatedMachine : IDisposable
{
    /// <summary>PCI device number of the AHCI function (function 2), as on ICH9 boards.</summary>
    public const int AhciPciDevice = 0x1F;
    public const int AhciPciFunction = 2;

    private readonly List<IBackingStore> _ownedStores = [];

    public EmulatedMachine(MachineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Simulation = new Simulation.Simulation(options.Seed);
        Log = new DeviceLog(Simulation);
        Memory = new GuestMemory(options.MemoryBytes);
        Frames = new PageFrameAllocator(Memory);
        Pci = new PciBus(Log);
        Mmio = new MmioBus(Log);
        Interrupts = new InterruptController(Simulation, Log, options.InterruptLatency);
        Hba = new AhciHba(Simulation, Memory, Interrupts, Log, options.Hba);

        var drives = new List<SataDrive>();
        for (int port = 0; port < options.Drives.Count; port++)
        {
            DriveSpec spec = options.Drives[port];
            IMediaModel media = MediaModels.Create(spec.Profile);
            IBackingStore store = spec.Store ?? Own(new SparseMemoryStore(media.CapacitySectors * media.LogicalSectorSize));
            var drive = new SataDrive(Simulation, media, store, Log, spec.Faults);
            Hba.AttachDevice(port, drive);
            drives.Add(drive);
        }
        Drives = drives;

        Pci.Attach(Hba, AhciPciDevice, AhciPciFunction);
        PciFirmware.AssignResources(Pci, Mmio);
        Platform = new PlatformServices(Simulation, Memory, Frames, Pci, Mmio, Interrupts, Log);
    }

    public Simulation.Simulation Simulation { get; }
    public DeviceLog Log { get; }
    public GuestMemory Memory { get; }
    public PageFrameAllocator Frames { get; }
    public PciBus Pci { get; }
    public MmioBus Mmio { get; }
    public InterruptController Interrupts { get; }

    /// <summary>The driver's view of the machine.</summary>
    public PlatformServices Platform { get; }

    /// <summary>The controller object, for tests and inspection only: drivers go through <see cref="Platform"/>.</summary>
    public AhciHba Hba { get; }

    /// <summary>The drives by port, for fault injection (power loss) and statistics; not for drivers.</summary>
    public IReadOnlyList<SataDrive> Drives { get; }

    public void Dispose()
    {
        foreach (IBackingStore store in _ownedStores)
            store.Dispose();
        Memory.Dispose();
    }

    private IBackingStore Own(IBackingStore store)
    {
        _ownedStores.Add(store);
        return store;
    }
}
