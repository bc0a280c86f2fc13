using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Machine;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// One AHCI port with a disk behind it, driven the way Linux's ahci/libata does: a command list and received-FIS
/// area in guest memory, one command table per slot (slot = the request's tag) whose PRDT points straight at the
/// request's pages, NCQ when the device has it, completions from the interrupt handler in whatever order the device
/// finishes them, and an error handler (<see cref="AhciErrorHandler"/>) for everything else.
/// </summary>
/// <remarks>
/// The files of this partial class split the driver by concern: requests and completions (Requests), internal
/// commands such as IDENTIFY (Internal), the port engine and the link (Link), the port's side of recovery
/// (Recovery).
/// </remarks>
public sealed partial class AhciPortDriver : IBlockDriver
{
    /// <summary>PRD entries per command table (Linux's AHCI_MAX_SG).</summary>
    public const int MaxPrdEntries = 168;

    /// <summary>Errors after which the HBA stops the port's command list (AHCI 1.3.1 section 6.1.2).</summary>
    internal const PortInterrupts FatalInterrupts =
        PortInterrupts.Tfes | PortInterrupts.Hbfs | PortInterrupts.Hbds | PortInterrupts.Ifs | PortInterrupts.Ofs;

    /// <summary>The link went down or a device (re)attached: COMINIT seen or PhyRdy changed.</summary>
    internal const PortInterrupts LinkChangeInterrupts = PortInterrupts.Pcs | PortInterrupts.Prcs;

    /// <summary>Everything that hands the port to the error handler.</summary>
    internal const PortInterrupts ErrorInterrupts = FatalInterrupts | PortInterrupts.Infs | LinkChangeInterrupts;

    private const PortInterrupts EnabledInterrupts = ErrorInterrupts | PortInterrupts.Dhrs | PortInterrupts.Pss
        | PortInterrupts.Sdbs | PortInterrupts.Dss;

    private readonly PlatformServices _platform;
    private readonly AhciDriverOptions _options;
    private readonly ulong _portBase;
    private readonly PageFrame _listAndFis;
    private readonly CommandSlot[] _slots;
    private readonly int _slotCount;
    private readonly bool _hostSupportsNcq;
    private readonly AhciErrorHandler _errorHandler;
    private AtaDiskFeatures? _features;

    internal AhciPortDriver(PlatformServices platform, AhciDriverOptions options, ulong abar, int port, int slotCount, bool hostSupportsNcq)
    {
        _platform = platform;
        _options = options;
        Port = port;
        LogSource = $"ata{port + 1}";
        _portBase = abar + (ulong)AhciLayout.PortBase(port);
        _slotCount = slotCount;
        _hostSupportsNcq = hostSupportsNcq;
        _listAndFis = platform.Frames.Allocate();
        platform.Memory.GetPage(_listAndFis).Clear();
        _slots = new CommandSlot[slotCount];
        for (int slot = 0; slot < slotCount; slot++)
            _slots[slot] = new CommandSlot(slot, platform.Frames.Allocate());
        _settledRequests = new Request?[slotCount];
        _settledVerdicts = new SlotVerdict[slotCount];
        _parkedOrder = new int[slotCount];
        _internalTable = platform.Frames.Allocate();
        _internalBuffer = platform.Frames.Allocate();
        _internalDone = new SimCompletion<AtaCompletion>(platform.Simulation);
        _internalTimer = new SimTimer(platform.Simulation, OnInternalTimeout);
        _errorHandler = new AhciErrorHandler(this);
    }

    public int Port { get; }

    /// <summary>The name the driver logs under, as Linux numbers ATA ports (ata1 is port 0).</summary>
    public string LogSource { get; }

    /// <summary>What the device said about itself at probe; null until IDENTIFY succeeded.</summary>
    public IdentifyDeviceData? Identify => _features?.Identify;

    /// <summary>How the driver talks to the disk (NCQ, FUA, TRIM); null until IDENTIFY succeeded.</summary>
    public AtaDiskFeatures? Features => _features;

    public bool UsesNcq => _features?.UsesNcq ?? false;

    /// <summary>Requests the port takes at once: the NCQ depth, or 1 without NCQ.</summary>
    public int QueueDepth => _features?.QueueDepth ?? 1;

    public BlockDriverInfo Info =>
        _features?.Info ?? throw new InvalidOperationException($"{LogSource}: the disk has not answered IDENTIFY DEVICE");

    public AhciPortStatistics Statistics { get; } = new();

    /// <summary>Recovery gave up on the device: every request now completes with EIO.</summary>
    public bool IsOffline { get; private set; }

    internal Simulation Simulation => _platform.Simulation;

    internal DeviceLog Log => _platform.Log;

    internal AhciDriverOptions Options => _options;

    internal int SlotCount => _slotCount;

    private ulong CommandListAddress => _listAndFis.Address;

    internal ulong ReceivedFisAddress => _listAndFis.Address + 0x400;

    internal CommandSlot Slot(int index) => _slots[index];

    internal ReadOnlySpan<byte> ReceivedFis(int offset, int length) =>
        _platform.Memory.GetSpan(ReceivedFisAddress + (ulong)offset, length);

    private Span<byte> CommandHeaderSpan(int slot) =>
        _platform.Memory.GetSpan(CommandListAddress + (ulong)(slot * CommandHeader.Size), CommandHeader.Size);

    internal uint ReadPort(PortRegister register) => _platform.Mmio.Read32(_portBase + (ulong)register);

    internal void WritePort(PortRegister register, uint value) => _platform.Mmio.Write32(_portBase + (ulong)register, value);

    /// <summary>Waits, polling at the configured interval, until <paramref name="condition"/> holds or the timeout passes.</summary>
    internal async Task<bool> PollAsync(Func<bool> condition, long timeoutNs)
    {
        long deadline = _platform.Simulation.Now + timeoutNs;
        while (!condition())
        {
            if (_platform.Simulation.Now >= deadline)
                return false;
            await _platform.Simulation.Delay(_options.PollIntervalNs);
        }
        return true;
    }
}
