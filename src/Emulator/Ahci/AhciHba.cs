using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Ahci;

/// <summary>
/// An AHCI 1.3.1 host bus adapter on PCI, modelled on Intel ICH9 (8086:2922, class 01/06/01): ABAR in BAR5, INTx
/// pin A, MSI capability at 80h, SATA capability at A8h. Software drives it only through configuration space, ABAR
/// registers, guest memory and interrupts; devices talk to its ports as <see cref="ISataHostPort"/>.
/// </summary>
/// <remarks>
/// Not modelled, and said so in the registers: command completion coalescing (CAP.CCCS = 0, CCC_CTL/CCC_PORTS read
/// 0), enclosure management (CAP.EMS = 0), BIOS/OS handoff (CAP2.BOH = 0, BOHC reads 0), port multipliers and
/// FIS-based switching, staggered spin-up, link power management (partial/slumber).
/// </remarks>
public sealed partial class AhciHba : PciFunction, ISimEventHandler
{
    private const string Source = "ahci";

    private static readonly AhciHbaOptions DefaultOptions = new();

    private readonly Simulation.Simulation _simulation;
    private readonly GuestMemory _memory;
    private readonly InterruptController _interrupts;
    private readonly DeviceLog _log;
    private readonly AhciPort[] _ports;
    private readonly uint _abarSize;

    public AhciHba(Simulation.Simulation simulation, GuestMemory memory, InterruptController interrupts, DeviceLog log, AhciHbaOptions? options = null)
        : base(
            (options ?? DefaultOptions).VendorId,
            (options ?? DefaultOptions).DeviceId,
            AhciPciIdentity.ClassCode,
            (options ?? DefaultOptions).RevisionId,
            (options ?? DefaultOptions).SubsystemVendorId,
            (options ?? DefaultOptions).SubsystemId)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(interrupts);
        ArgumentNullException.ThrowIfNull(log);
        Options = options ?? DefaultOptions;
        Options.Validate();
        _simulation = simulation;
        _memory = memory;
        _interrupts = interrupts;
        _log = log;

        _abarSize = AhciLayout.AbarSize(Options.Ports);
        DefineMemoryBar(AhciPciIdentity.AbarIndex, _abarSize);
        SetInterruptPin(PciInterruptPin.IntA);
        AddMsiCapability(AhciPciIdentity.MsiCapabilityOffset);
        int sata = AddCapability(PciCapabilityId.Sata, AhciPciIdentity.SataCapabilityOffset, AhciPciIdentity.SataCapabilitySize);
        SetConfig16(sata + 2, AhciPciIdentity.SataCapabilityRevision);
        SetConfig32(sata + 4, AhciPciIdentity.SataCapabilityRegister1);

        Capabilities = ComposeCapabilities(Options);
        PortsImplemented = Options.Ports == 32 ? 0xFFFF_FFFFu : (1u << Options.Ports) - 1;
        _ports = new AhciPort[Options.Ports];
        for (int i = 0; i < _ports.Length; i++)
            _ports[i] = new AhciPort(this, i);
        ResetHostRegisters();
    }

    public AhciHbaOptions Options { get; }

    /// <summary>The CAP value this HBA reports.</summary>
    public uint Capabilities { get; }

    /// <summary>The PI value: one bit per implemented port.</summary>
    public uint PortsImplemented { get; }

    public uint AbarSize => _abarSize;

    internal Simulation.Simulation Simulation => _simulation;

    internal DeviceLog Log => _log;

    internal GuestMemory Memory => _memory;

    /// <summary>Plugs a device into a port. Do it before firmware and driver start; the port brings the link up on its own.</summary>
    public void AttachDevice(int port, ISataDevice device)
    {
        if ((uint)port >= (uint)_ports.Length)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"this HBA implements ports 0-{_ports.Length - 1}");
        ArgumentNullException.ThrowIfNull(device);
        _ports[port].Attach(device);
    }

    private static uint ComposeCapabilities(AhciHbaOptions options)
    {
        var cap = HbaCapabilities.Sam | HbaCapabilities.Sclo | HbaCapabilities.Ssntf | HbaCapabilities.S64a | HbaCapabilities.Pmd;
        if (options.SupportsNcq)
            cap |= HbaCapabilities.Sncq;
        return (uint)cap
            | (uint)(options.Ports - 1)
            | (uint)(AhciLayout.CommandSlots - 1) << HbaCapabilityFields.NumberOfCommandSlotsShift
            | (uint)options.Generation << HbaCapabilityFields.InterfaceSpeedShift;
    }

    /// <summary>
    /// Resolves a DMA into guest memory on behalf of a port. Fails, without throwing, when bus mastering is off or any
    /// byte lies outside memory (then the PCI status records a master abort, as a bridge would).
    /// </summary>
    internal bool TryGetDmaSpan(int port, ulong address, int length, string what, out Span<byte> span)
    {
        if (!BusMasterEnabled)
        {
            _log.Warning(Source, $"port {port}: {what} at 0x{address:x} needs bus mastering, which is disabled");
            span = default;
            return false;
        }
        if (!_memory.TryGetSpan(address, length, out span))
        {
            SignalReceivedMasterAbort();
            _log.Error(Source, $"port {port}: {what} at 0x{address:x}+{length} is outside guest memory (master abort)");
            return false;
        }
        return true;
    }

    protected internal override uint ReadMmio32(int bar, ulong offset)
    {
        if (offset < AhciLayout.HostRegistersSize)
            return ReadHostRegister((int)offset);
        int port = (int)((offset - AhciLayout.FirstPortOffset) / AhciLayout.PortRegistersSize);
        if (port < _ports.Length)
            return _ports[port].ReadRegister((int)((offset - AhciLayout.FirstPortOffset) % AhciLayout.PortRegistersSize));
        _log.Warning(Source, $"read of ABAR+0x{offset:x}, beyond the last implemented port; returns 0");
        return 0;
    }

    protected internal override void WriteMmio32(int bar, ulong offset, uint value)
    {
        if (offset < AhciLayout.HostRegistersSize)
        {
            WriteHostRegister((int)offset, value);
            return;
        }
        int port = (int)((offset - AhciLayout.FirstPortOffset) / AhciLayout.PortRegistersSize);
        if (port < _ports.Length)
            _ports[port].WriteRegister((int)((offset - AhciLayout.FirstPortOffset) % AhciLayout.PortRegistersSize), value);
        else
            _log.Warning(Source, $"write of 0x{value:x8} to ABAR+0x{offset:x}, beyond the last implemented port; dropped");
    }

    protected override void OnConfigWritten(int offset, int size)
    {
        // Command (interrupt disable, bus master), Interrupt Line and the MSI capability all change where an
        // interrupt goes; recompute rather than track which.
        UpdateInterrupts();
    }
}
