using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;
using Hardware.Emulator.Storage;

namespace Hardware.Emulator.Ata;

/// <summary>
/// A SATA disk: the ATA command set (ACS-3 subset), NCQ with drive-side reordering, an on-drive cache with read
/// segments, read-ahead and a volatile write-back cache, over a media timing model and a backing store. Everything it
/// says to the host is a FIS at a virtual time; its data moves through the host port's buffer mapping.
/// </summary>
/// <remarks>
/// The files of this partial class split the firmware by concern: command decoding (Commands), the data phase on the
/// link (DataPhase), the medium with its queue, read-ahead and destaging (Media), and completions and errors
/// (Completion). Every step is a simulation event: the drive implements <see cref="ISimEventHandler"/> and each pooled
/// command slot does too, so a command in steady state allocates nothing.
/// </remarks>
public sealed partial class SataDrive : ISataDevice, ISimEventHandler
{
    /// <summary>Largest payload of one Data FIS; a read's data phase ends at least this long after its last sector.</summary>
    private const int MaxDataFisBytes = 8192;

    private enum DriveState
    {
        /// <summary>No power, or powered but never reset: the drive answers nothing.</summary>
        Off,
        Resetting,
        Ready,
    }

    private enum DriveEvent : byte
    {
        ResetDone,
        PowerLoss,
        Acknowledge,
        SendCompletions,
        SendNcqError,
        SendRejection,
        MediaDone,
        ReadAheadWindowEnd,
    }

    private readonly Simulation.Simulation _simulation;
    private readonly IMediaModel _media;
    private readonly IBackingStore _store;
    private readonly DeviceLog _log;
    private readonly FaultPlan _faults;
    private readonly SataDriveOptions _options;
    private readonly DeviceProfile _profile;
    private readonly string _logSource;
    private readonly int _sectorSize;
    private readonly long _capacity;
    private readonly int _queueDepth;
    private readonly long _commandOverheadNs;
    private readonly DriveCommand[] _commands = new DriveCommand[DriveCommand.NonQueuedSlot + 1];
    private readonly WriteBackCache _writeCache;
    private readonly ReadCache _readCache;
    private readonly int _highWaterLines;
    private readonly byte[] _pioBuffer = new byte[512];

    private ISataHostPort? _host;
    private DriveState _state = DriveState.Off;
    private long _epoch;
    private SataGeneration _negotiated;
    private bool _writeCacheEnabled;
    private bool _lookAheadEnabled;
    private long _commandsReceived;
    /// <summary>Tags of queued commands the drive holds.</summary>
    private uint _queuedMask;

    public SataDrive(Simulation.Simulation simulation, IMediaModel media, IBackingStore store, DeviceLog log,
        FaultPlan? faults = null, SataDriveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        _simulation = simulation;
        _media = media;
        _store = store;
        _log = log;
        _faults = faults ?? new FaultPlan();
        _options = options ?? SataDriveOptions.Default;
        _options.Validate();
        _profile = media.Profile ?? throw new ArgumentException("the media model has no device profile", nameof(media));
        _logSource = $"ata {_profile.Name}";
        _sectorSize = media.LogicalSectorSize;
        _capacity = media.CapacitySectors;
        if (_sectorSize < 512 || _sectorSize % 512 != 0)
            throw new ArgumentException($"logical sector size {_sectorSize} is not a multiple of 512", nameof(media));
        if (_capacity <= 0 || _capacity > (1L << 48))
            throw new ArgumentException($"capacity of {_capacity} sectors is outside what 48-bit LBAs address", nameof(media));
        if (store.Length < _capacity * _sectorSize)
            throw new ArgumentException($"the store holds {store.Length} bytes but the drive has {_capacity * _sectorSize}", nameof(store));
        if (_profile.NcqDepth is < 0 or > 32)
            throw new ArgumentException($"NCQ depth {_profile.NcqDepth} is outside 0-32", nameof(media));
        if (_profile.LinkGeneration is < 1 or > 3)
            throw new ArgumentException($"SATA generation {_profile.LinkGeneration} is not 1, 2 or 3", nameof(media));
        CheckIdentityString(_profile.Serial, IdentifyDeviceData.SerialLength, "serial");
        CheckIdentityString(_profile.Firmware, IdentifyDeviceData.FirmwareLength, "firmware");
        CheckIdentityString(_profile.Model, IdentifyDeviceData.ModelLength, "model");
        _queueDepth = _profile.NcqDepth;
        MaxGeneration = (SataGeneration)_profile.LinkGeneration;
        _negotiated = MaxGeneration;
        _commandOverheadNs = SimTime.FromMicroseconds(_profile.CommandOverheadUs);

        for (int slot = 0; slot < _commands.Length; slot++)
            _commands[slot] = new DriveCommand(this, slot);
        _writeCache = new WriteBackCache(_profile.CacheBytes, _sectorSize);
        _readCache = new ReadCache(_profile.CacheSegments, _profile.CacheBytes, _profile.ReadAheadBytes, _sectorSize, _capacity);
        _highWaterLines = Math.Max(1, (int)(_writeCache.CapacityLines * _options.WriteCacheHighWater));
        // No more accesses can be in progress than commands the drive holds, however parallel the medium.
        int slots = Math.Clamp(media.MaxConcurrentAccesses, 1, _commands.Length);
        _slots = new MediaSlot[slots];
        for (int i = 0; i < slots; i++)
            _slots[i] = new MediaSlot(i);
        _blocked = new LbaExtent[slots];
        _mediaQueue = new List<DriveCommand>(_commands.Length);
        _cacheWaiters = new List<DriveCommand>(_commands.Length);
        RestorePowerOnFeatures();

        _faults.BindPowerLoss(time => _simulation.ScheduleAt(time, this, EventArgument(DriveEvent.PowerLoss, 0, 0)));
    }

    public DeviceProfile Profile => _profile;

    public DriveStatistics Statistics { get; } = new();

    public FaultPlan Faults => _faults;

    public SataDriveOptions Options => _options;

    public SataGeneration MaxGeneration { get; }

    /// <summary>The link speed agreed at the last COMRESET.</summary>
    public SataGeneration NegotiatedGeneration => _negotiated;

    public long CapacitySectors => _capacity;

    public int LogicalSectorSize => _sectorSize;

    public bool WriteCacheEnabled => _writeCacheEnabled;

    public bool ReadLookAheadEnabled => _lookAheadEnabled;

    /// <summary>Powered and past its reset: it accepts commands.</summary>
    public bool IsReady => _state == DriveState.Ready;

    /// <summary>Cached sectors not yet on the medium (what a power loss would lose now).</summary>
    public long DirtySectors => _writeCache.DirtySectors;

    /// <summary>The IDENTIFY DEVICE data the drive would send now.</summary>
    public IdentifyDeviceData Identify() => new()
    {
        Serial = _profile.Serial,
        Firmware = _profile.Firmware,
        Model = _profile.Model,
        CapacitySectors = _capacity,
        LogicalSectorSize = _sectorSize,
        PhysicalSectorSize = _media.PhysicalSectorSize,
        QueueDepth = _queueDepth,
        MaxGeneration = MaxGeneration,
        CurrentGeneration = _state == DriveState.Ready ? _negotiated : null,
        WriteCacheSupported = _writeCache.IsEnabled,
        WriteCacheEnabled = _writeCacheEnabled,
        ReadLookAheadSupported = _readCache.IsEnabled,
        ReadLookAheadEnabled = _lookAheadEnabled,
        TrimSupported = _profile.SupportsTrim,
        MaxDsmBlocks = _options.MaxDsmBlocks,
        NominalRotationRate = _media.NominalRotationRate,
    };

    public void Attach(ISataHostPort host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_host is not null)
            throw new InvalidOperationException("the drive is already attached to a host port");
        _host = host;
    }

    public void ComReset(SataGeneration negotiated)
    {
        RequireAttached();
        Statistics.ComResets++;
        bool powerOn = _state == DriveState.Off;
        AbortAllCommands();
        if (powerOn)
        {
            _readCache.Clear();
            RestorePowerOnFeatures();
        }
        else if (_readCache.ReadAheadActive)
        {
            CutReadAhead();
        }
        // Dirty cached data survives a COMRESET (only power loss loses it), so destaging carries on through the reset.
        _epoch++;
        _state = DriveState.Resetting;
        _negotiated = negotiated <= MaxGeneration ? negotiated : MaxGeneration;
        ResetProtocolState();
        ScheduleDriveEvent(Now + _options.ResetTimeNs, DriveEvent.ResetDone, 0, _epoch);
    }

    public void ReceiveCommand(in RegisterH2DFis fis)
    {
        RequireAttached();
        if (_state != DriveState.Ready)
        {
            _log.Warning(_logSource, $"command {fis.Command:X2}h ignored: the drive is {(_state == DriveState.Off ? "off" : "resetting")}");
            return;
        }
        if (!fis.IsCommand)
        {
            _log.Warning(_logSource, "a device control FIS (C bit clear) reached the command path and was ignored");
            return;
        }
        long number = ++_commandsReceived;
        var opcode = (AtaCommand)fis.Command;
        if (opcode is AtaCommand.ReadFpdmaQueued or AtaCommand.WriteFpdmaQueued)
            ReceiveQueued(fis, number);
        else
            ReceiveNonQueued(fis, number);
    }

    /// <summary>
    /// Power fails now: dirty cached data is lost, a media write in progress keeps the whole sectors written so far,
    /// commands in flight vanish without a FIS, and the drive answers nothing until the next COMRESET (power restored).
    /// </summary>
    public void PowerLoss()
    {
        if (_state == DriveState.Off)
            return;
        Statistics.PowerLosses++;
        foreach (MediaSlot slot in _slots)
        {
            if (slot.Owner == MediaSlotOwner.Destage)
            {
                CommitDestageData(slot, slot.SectorsDoneBy(Now));
                slot.Owner = MediaSlotOwner.Aborted;
            }
        }
        AbortAllCommands();
        foreach (MediaSlot slot in _slots)
        {
            if (slot.Owner == MediaSlotOwner.ReadAhead)
                slot.Owner = MediaSlotOwner.None;
        }
        _readCache.Clear();
        long lost = _writeCache.Clear();
        Statistics.LostDirtySectors += lost;
        _epoch++;
        _state = DriveState.Off;
        ResetProtocolState();
        _log.Info(_logSource, $"power lost; {lost} dirty cached sectors gone");
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        var kind = (DriveEvent)(argument & 0xFF);
        int index = (int)((argument >> 8) & 0xFFFF);
        long generation = argument >> 24;
        switch (kind)
        {
            case DriveEvent.PowerLoss:
                PowerLoss();
                break;
            case DriveEvent.MediaDone:
                OnMediaDone(_slots[index], generation);
                break;
            case DriveEvent.ReadAheadWindowEnd:
                OnReadAheadWindowEnd(generation);
                break;
            default:
                if (generation != _epoch)
                    return;
                OnProtocolEvent(kind);
                break;
        }
    }

    private void OnProtocolEvent(DriveEvent kind)
    {
        switch (kind)
        {
            case DriveEvent.ResetDone:
                OnResetDone();
                break;
            case DriveEvent.Acknowledge:
                SendRegister(AtaStatus.Drdy, AtaError.None, interrupt: false);
                break;
            case DriveEvent.SendCompletions:
                SendCompletions();
                break;
            case DriveEvent.SendNcqError:
                SendNcqError();
                break;
            case DriveEvent.SendRejection:
                SendRegister(AtaStatus.Drdy | AtaStatus.Err, AtaError.Abrt, interrupt: true);
                break;
            default:
                throw new InvalidOperationException($"unexpected drive event {kind}");
        }
    }

    private void OnResetDone()
    {
        _state = DriveState.Ready;
        // The signature of an ATA device: Status 50h, Error 01h (diagnostics passed), Count 1, LBA 1.
        var signature = new RegisterD2HFis
        {
            Status = (AtaStatus)0x50,
            Error = (AtaError)0x01,
            Count = 1,
            Lba = 1,
            Interrupt = false,
        };
        _host!.ReceiveRegisterD2H(in signature);
        TryDispatchMedia();
    }

    /// <summary>
    /// Power-on defaults of the SET FEATURES settings. A COMRESET keeps the current ones: the drive has Software
    /// Settings Preservation enabled (IDENTIFY word 79 bit 6), as SATA drives ship.
    /// </summary>
    private void RestorePowerOnFeatures()
    {
        _writeCacheEnabled = _writeCache.IsEnabled && _profile.WriteCacheEnabled;
        _lookAheadEnabled = _readCache.IsEnabled;
    }

    private long Now => _simulation.Now;

    /// <summary>Event argument: kind in bits 7:0, a media slot in bits 23:8, a generation above.</summary>
    private static long EventArgument(DriveEvent kind, int index, long generation) =>
        (long)kind | ((long)index << 8) | (generation << 24);

    private void ScheduleDriveEvent(long time, DriveEvent kind, int index, long generation) =>
        _simulation.ScheduleAt(time, this, EventArgument(kind, index, generation));

    private void RequireAttached()
    {
        if (_host is null)
            throw new InvalidOperationException("the drive is not attached to a host port");
    }

    private static void CheckIdentityString(string value, int length, string what)
    {
        if (value is null || value.Length > length || value.Any(c => c < 0x20 || c > 0x7E))
            throw new ArgumentException($"the {what} string '{value}' must be at most {length} printable ASCII characters");
    }
}
