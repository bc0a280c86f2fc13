using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// The AHCI controller driver: finds the controller by PCI class 01/06/01, maps ABAR (BAR5), enables bus
/// mastering and MSI, resets the HBA, starts every implemented port with a disk behind it and dispatches the
/// interrupt to the ports. It sees only what <see cref="PlatformServices"/> offers.
/// </summary>
public sealed class AhciHostDriver : IInterruptHandler
{
    /// <summary>Class code, subclass, programming interface of an AHCI 1.0 controller.</summary>
    public const uint AhciClassCode = 0x01_06_01;

    /// <summary>The MSI vector the driver asks for (x86 vectors below 32 are exceptions).</summary>
    public const int MsiVector = 0x40;

    private const int PciCommand = 0x04;
    private const int PciClassRevision = 0x08;
    private const int PciStatus = 0x06;
    private const int PciCapabilitiesPointer = 0x34;
    private const int PciInterruptLine = 0x3C;
    private const int Bar5 = 0x24;
    private const ushort CommandMemorySpace = 1 << 1;
    private const ushort CommandBusMaster = 1 << 2;
    private const ushort CommandInterruptDisable = 1 << 10;
    private const ushort StatusCapabilitiesList = 1 << 4;
    private const byte MsiCapabilityId = 0x05;
    private const ulong MsiAddress = 0xFEE0_0000;

    private readonly PlatformServices _platform;
    private readonly AhciDriverOptions _options;
    private readonly AhciPortDriver?[] _portsByNumber;

    private AhciHostDriver(PlatformServices platform, AhciDriverOptions options, PciAddress address, ulong abar, int vector, uint capabilities)
    {
        _platform = platform;
        _options = options;
        PciAddress = address;
        Abar = abar;
        InterruptVector = vector;
        Capabilities = capabilities;
        _portsByNumber = new AhciPortDriver?[32];
    }

    public PciAddress PciAddress { get; }

    /// <summary>Physical address of the HBA's registers.</summary>
    public ulong Abar { get; }

    public int InterruptVector { get; }

    public bool UsesMsi => InterruptVector == MsiVector;

    /// <summary>CAP as read at probe time.</summary>
    public uint Capabilities { get; }

    /// <summary>Ports with an identified disk, in port order.</summary>
    public IReadOnlyList<AhciPortDriver> Disks { get; private set; } = [];

    /// <summary>Finds and initialises the first AHCI controller. Null when there is none.</summary>
    public static Task<AhciHostDriver?> ProbeAsync(PlatformServices platform, AhciDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        options ??= AhciDriverOptions.Default;
        options.Validate();
        return ProbeCoreAsync(platform, options);
    }

    private static async Task<AhciHostDriver?> ProbeCoreAsync(PlatformServices platform, AhciDriverOptions options)
    {
        foreach (PciAddress address in platform.Pci.Functions)
        {
            if (platform.Pci.ReadConfig32(address, PciClassRevision) >> 8 != AhciClassCode)
                continue;
            var driver = Attach(platform, options, address);
            await driver.InitialiseAsync();
            return driver;
        }
        return null;
    }

    private static AhciHostDriver Attach(PlatformServices platform, AhciDriverOptions options, PciAddress address)
    {
        PciBus pci = platform.Pci;
        ulong abar = pci.ReadConfig32(address, Bar5) & ~0xFUL;
        ushort command = pci.ReadConfig16(address, PciCommand);
        pci.WriteConfig16(address, PciCommand, (ushort)(command | CommandMemorySpace | CommandBusMaster));

        int vector = pci.ReadConfig8(address, PciInterruptLine);
        int msi = FindCapability(pci, address, MsiCapabilityId);
        if (msi != 0)
        {
            // Message address, data, then enable (Message Control bit 0); INTx is masked while MSI is in use.
            ushort control = pci.ReadConfig16(address, msi + 2);
            bool is64 = (control & (1 << 7)) != 0;
            pci.WriteConfig32(address, msi + 4, (uint)MsiAddress);
            if (is64)
                pci.WriteConfig32(address, msi + 8, 0);
            pci.WriteConfig16(address, msi + (is64 ? 12 : 8), MsiVector);
            pci.WriteConfig16(address, msi + 2, (ushort)(control | 1));
            pci.WriteConfig16(address, PciCommand, (ushort)(pci.ReadConfig16(address, PciCommand) | CommandInterruptDisable));
            vector = MsiVector;
        }

        uint cap = platform.Mmio.Read32(abar + (ulong)HbaRegister.Cap);
        var driver = new AhciHostDriver(platform, options, address, abar, vector, cap);
        platform.Interrupts.RegisterHandler(vector, driver);
        return driver;
    }

    private static int FindCapability(PciBus pci, PciAddress address, byte id)
    {
        if ((pci.ReadConfig16(address, PciStatus) & StatusCapabilitiesList) == 0)
            return 0;
        int pointer = pci.ReadConfig8(address, PciCapabilitiesPointer) & 0xFC;
        for (int hops = 0; pointer != 0 && hops < 48; hops++)
        {
            if (pci.ReadConfig8(address, pointer) == id)
                return pointer;
            pointer = pci.ReadConfig8(address, pointer + 1) & 0xFC;
        }
        return 0;
    }

    private async Task InitialiseAsync()
    {
        // AHCI 1.3.1 section 10.4.3: set AE, then HR, wait for HR to clear, set AE again.
        WriteHba(HbaRegister.Ghc, ReadHba(HbaRegister.Ghc) | (uint)GlobalHbaControl.Ae);
        WriteHba(HbaRegister.Ghc, ReadHba(HbaRegister.Ghc) | (uint)GlobalHbaControl.Hr);
        long deadline = _platform.Simulation.Now + SimTime.Second;
        while ((ReadHba(HbaRegister.Ghc) & (uint)GlobalHbaControl.Hr) != 0 && _platform.Simulation.Now < deadline)
            await _platform.Simulation.Delay(SimTime.Millisecond);
        WriteHba(HbaRegister.Ghc, ReadHba(HbaRegister.Ghc) | (uint)GlobalHbaControl.Ae);

        int slots = HbaCapabilityFields.CommandSlotCount(Capabilities);
        bool ncq = (Capabilities & (uint)HbaCapabilities.Sncq) != 0;
        uint implemented = ReadHba(HbaRegister.Pi);
        var disks = new List<AhciPortDriver>();
        for (int port = 0; port < 32; port++)
        {
            if ((implemented & (1u << port)) == 0)
                continue;
            var portDriver = new AhciPortDriver(_platform, _options, Abar, port, slots, ncq);
            if (!await portDriver.StartAsync())
                continue;
            _portsByNumber[port] = portDriver;
            disks.Add(portDriver);
        }

        WriteHba(HbaRegister.Is, uint.MaxValue);
        WriteHba(HbaRegister.Ghc, ReadHba(HbaRegister.Ghc) | (uint)GlobalHbaControl.Ie);

        var identified = new List<AhciPortDriver>();
        foreach (AhciPortDriver disk in disks)
        {
            if (await disk.IdentifyAsync())
                identified.Add(disk);
        }
        Disks = identified;
    }

    /// <summary>Clears the ports' status first, then their bits in IS, so no completion slips between the two.</summary>
    public void HandleInterrupt(int vector)
    {
        uint pending = ReadHba(HbaRegister.Is);
        while (pending != 0)
        {
            int port = System.Numerics.BitOperations.TrailingZeroCount(pending);
            pending &= pending - 1;
            _portsByNumber[port]?.HandleInterrupt();
            WriteHba(HbaRegister.Is, 1u << port);
        }
    }

    private uint ReadHba(HbaRegister register) => _platform.Mmio.Read32(Abar + (ulong)register);

    private void WriteHba(HbaRegister register, uint value) => _platform.Mmio.Write32(Abar + (ulong)register, value);
}
