using System.Buffers.Binary;

namespace Hardware.Emulator.Platform;

/// <summary>
/// One PCI function: its configuration space (256 bytes, or 4 KiB for a PCIe function) with per-byte
/// read-only / read-write / write-1-to-clear masks, its memory BARs, its capability list and MSI state.
/// Device models derive from it, define their identity and BARs in the constructor, and implement the MMIO
/// behind their BARs.
/// </summary>
/// <remarks>
/// Every config write goes through one masked merge: <c>new = (old &amp; ~writable) | (value &amp; writable)</c>, then
/// <c>new &amp;= ~(value &amp; writeOneToClear)</c>. BAR sizing falls out of the masks: a BAR's writable bits are the
/// address bits above its size, so writing all ones reads back the size mask.
/// </remarks>
public abstract class PciFunction
{
    public const int ConventionalConfigSize = 256;
    public const int ExtendedConfigSize = 4096;

    private const int CapabilityListStart = 0x40;

    private readonly byte[] _config;
    private readonly byte[] _writable;
    private readonly byte[] _writeOneToClear;
    private readonly PciBarDefinition?[] _bars = new PciBarDefinition?[PciBarDefinition.Count];
    private int _lastCapability = -1;
    private int _msiOffset = -1;

    // The last BAR window TryDecode answered through (bar -1: none). Dropped whenever the Command register or a BAR
    // register changes, so a cached window always equals what a full decode would find.
    private int _windowBar = -1;
    private ulong _windowBase;
    private ulong _windowSize;

    protected PciFunction(
        ushort vendorId,
        ushort deviceId,
        uint classCode,
        byte revisionId,
        ushort subsystemVendorId,
        ushort subsystemId,
        int configSpaceSize = ConventionalConfigSize)
    {
        if (configSpaceSize != ConventionalConfigSize && configSpaceSize != ExtendedConfigSize)
            throw new ArgumentOutOfRangeException(nameof(configSpaceSize), configSpaceSize, "configuration space is 256 bytes or 4 KiB");
        if (classCode > 0xFF_FFFF)
            throw new ArgumentOutOfRangeException(nameof(classCode), classCode, "the class code is 24 bits");
        _config = new byte[configSpaceSize];
        _writable = new byte[configSpaceSize];
        _writeOneToClear = new byte[configSpaceSize];

        SetInitial16(PciConfigRegister.VendorId, vendorId);
        SetInitial16(PciConfigRegister.DeviceId, deviceId);
        _config[(int)PciConfigRegister.RevisionId] = revisionId;
        _config[(int)PciConfigRegister.ProgIf] = (byte)classCode;
        _config[(int)PciConfigRegister.SubClass] = (byte)(classCode >> 8);
        _config[(int)PciConfigRegister.BaseClass] = (byte)(classCode >> 16);
        SetInitial16(PciConfigRegister.SubsystemVendorId, subsystemVendorId);
        SetInitial16(PciConfigRegister.SubsystemId, subsystemId);
        _config[(int)PciConfigRegister.InterruptLine] = 0xFF; // "unknown / not connected" until firmware routes it

        const ushort commandWritable = (ushort)(PciCommand.IoSpace | PciCommand.MemorySpace | PciCommand.BusMaster
            | PciCommand.ParityErrorResponse | PciCommand.SerrEnable | PciCommand.InterruptDisable);
        const ushort statusWriteOneToClear = (ushort)(PciStatus.MasterDataParityError | PciStatus.SignaledTargetAbort
            | PciStatus.ReceivedTargetAbort | PciStatus.ReceivedMasterAbort | PciStatus.SignaledSystemError
            | PciStatus.DetectedParityError);
        SetMask16(_writable, (int)PciConfigRegister.Command, commandWritable);
        SetMask16(_writeOneToClear, (int)PciConfigRegister.Status, statusWriteOneToClear);
        _writable[(int)PciConfigRegister.CacheLineSize] = 0xFF;
        _writable[(int)PciConfigRegister.LatencyTimer] = 0xFF;
        _writable[(int)PciConfigRegister.InterruptLine] = 0xFF;
    }

    public int ConfigSpaceSize => _config.Length;

    public ushort VendorId => Read16((int)PciConfigRegister.VendorId);

    public ushort DeviceId => Read16((int)PciConfigRegister.DeviceId);

    /// <summary>Base class, subclass and programming interface as one 24-bit value (01 06 01 for AHCI).</summary>
    public uint ClassCode => (uint)(_config[0x0B] << 16 | _config[0x0A] << 8 | _config[0x09]);

    /// <summary>Where the bus attached the function (null until attached).</summary>
    public PciAddress? Address { get; internal set; }

    /// <summary>The Interrupt Line register: the IRQ the firmware routed INTx to (0xFF = not connected).</summary>
    public byte InterruptLine => _config[(int)PciConfigRegister.InterruptLine];

    public PciInterruptPin InterruptPin => (PciInterruptPin)_config[(int)PciConfigRegister.InterruptPin];

    protected PciCommand Command => (PciCommand)Read16((int)PciConfigRegister.Command);

    /// <summary>Command bit 2: the function may master the bus (DMA, MSI writes).</summary>
    protected bool BusMasterEnabled => (Command & PciCommand.BusMaster) != 0;

    /// <summary>Command bit 1: the function decodes its memory BARs.</summary>
    protected bool MemorySpaceEnabled => (Command & PciCommand.MemorySpace) != 0;

    /// <summary>Command bit 10: INTx assertion is disabled (MSI is unaffected).</summary>
    protected bool IntxDisabled => (Command & PciCommand.InterruptDisable) != 0;

    protected bool HasMsi => _msiOffset >= 0;

    /// <summary>The MSI capability's Enable bit: interrupts go out as memory writes instead of INTx.</summary>
    protected bool MsiEnabled => _msiOffset >= 0 && (Read16(_msiOffset + MsiCapabilityLayout.MessageControl) & MsiCapabilityLayout.Enable) != 0;

    /// <summary>The programmed MSI message address (64-bit).</summary>
    protected ulong MsiAddress => _msiOffset < 0 ? 0ul :
        BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(_msiOffset + MsiCapabilityLayout.MessageAddress))
        | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(_msiOffset + MsiCapabilityLayout.MessageUpperAddress)) << 32;

    /// <summary>The programmed MSI message data (16 bits, zero-extended as the bus write carries it).</summary>
    protected uint MsiData => _msiOffset < 0 ? 0u : Read16(_msiOffset + MsiCapabilityLayout.MessageData);

    public PciBarDefinition? GetBarDefinition(int index) =>
        (uint)index < PciBarDefinition.Count ? _bars[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The base address currently programmed into a memory BAR (0 = unassigned).</summary>
    public ulong GetBarBase(int index)
    {
        if (_bars[index] is not { } bar)
            return 0;
        return BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(bar.ConfigOffset)) & ~(bar.Size - 1);
    }

    /// <summary>True when the function currently answers memory cycles at <paramref name="address"/> through a BAR.</summary>
    internal bool TryDecode(ulong address, out int barIndex, out ulong offset, out bool decodeDisabled)
    {
        decodeDisabled = false;
        if (_windowBar >= 0 && address - _windowBase < _windowSize)
        {
            barIndex = _windowBar;
            offset = address - _windowBase;
            return true;
        }
        for (int i = 0; i < PciBarDefinition.Count; i++)
        {
            if (_bars[i] is not { } bar)
                continue;
            ulong barBase = GetBarBase(i);
            if (barBase == 0 || address < barBase || address - barBase >= bar.Size)
                continue;
            if (!MemorySpaceEnabled)
            {
                decodeDisabled = true;
                break;
            }
            _windowBar = i;
            _windowBase = barBase;
            _windowSize = bar.Size;
            barIndex = i;
            offset = address - barBase;
            return true;
        }
        barIndex = -1;
        offset = 0;
        return false;
    }

    /// <summary>Forgets the cached decode window when a write touches the Command register or a BAR.</summary>
    private void ConfigChanged(int offset, int size)
    {
        const int command = (int)PciConfigRegister.Command;
        const int barsStart = 0x10;
        const int barsEnd = barsStart + 4 * PciBarDefinition.Count;
        int end = offset + size;
        if ((offset < command + 2 && end > command) || (offset < barsEnd && end > barsStart))
            _windowBar = -1;
    }

    /// <summary>Reads 1, 2 or 4 bytes of configuration space; the bus has checked alignment and range.</summary>
    internal uint ReadConfig(int offset, int size) => size switch
    {
        1 => (uint)_config[offset],
        2 => Read16(offset),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(offset)),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    /// <summary>Writes 1, 2 or 4 bytes through the masks, then lets the device react.</summary>
    internal void WriteConfig(int offset, int size, uint value)
    {
        for (int i = 0; i < size; i++)
        {
            int at = offset + i;
            byte b = (byte)(value >> (8 * i));
            byte merged = (byte)((_config[at] & ~_writable[at]) | (b & _writable[at]));
            _config[at] = (byte)(merged & ~(b & _writeOneToClear[at]));
        }
        ConfigChanged(offset, size);
        OnConfigWritten(offset, size);
    }

    /// <summary>Called after every config write, for side effects (interrupt disable, MSI enable, BAR moves).</summary>
    protected virtual void OnConfigWritten(int offset, int size)
    {
    }

    /// <summary>MMIO read of a 32-bit register at <paramref name="offset"/> within BAR <paramref name="bar"/>.</summary>
    protected internal abstract uint ReadMmio32(int bar, ulong offset);

    protected internal abstract void WriteMmio32(int bar, ulong offset, uint value);

    protected void SetInterruptPin(PciInterruptPin pin) => _config[(int)PciConfigRegister.InterruptPin] = (byte)pin;

    /// <summary>Declares a 32-bit memory BAR of a power-of-two size; the address bits above the size become writable.</summary>
    protected void DefineMemoryBar(int index, uint size, bool prefetchable = false)
    {
        if ((uint)index >= PciBarDefinition.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, "BARs are numbered 0-5");
        if (size < PciBarDefinition.MinimumSize || !uint.IsPow2(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, "a memory BAR is a power of two of at least 16 bytes");
        var bar = new PciBarDefinition(index, size, prefetchable);
        _bars[index] = bar;
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(bar.ConfigOffset), bar.TypeBits);
        ConfigChanged(bar.ConfigOffset, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(_writable.AsSpan(bar.ConfigOffset), ~(size - 1));
    }

    /// <summary>
    /// Reserves <paramref name="length"/> bytes at <paramref name="offset"/> for a capability and links it at the end
    /// of the capability list. Returns the offset, for the caller to fill in the body.
    /// </summary>
    protected int AddCapability(PciCapabilityId id, int offset, int length)
    {
        if (offset < CapabilityListStart || offset % 4 != 0 || offset + length > ConventionalConfigSize)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "capabilities live dword-aligned in 0x40-0xFF");
        if (_lastCapability >= offset)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "add capabilities in ascending offset order");
        _config[offset] = (byte)id;
        _config[offset + 1] = 0;
        if (_lastCapability < 0)
        {
            _config[(int)PciConfigRegister.CapabilitiesPointer] = (byte)offset;
            SetInitial16(PciConfigRegister.Status, (ushort)(Read16((int)PciConfigRegister.Status) | (ushort)PciStatus.CapabilitiesList));
        }
        else
        {
            _config[_lastCapability + 1] = (byte)offset;
        }
        _lastCapability = offset;
        return offset;
    }

    /// <summary>Adds a single-message MSI capability with a 64-bit address at <paramref name="offset"/>.</summary>
    protected void AddMsiCapability(int offset)
    {
        if (_msiOffset >= 0)
            throw new InvalidOperationException("the function already has an MSI capability");
        AddCapability(PciCapabilityId.Msi, offset, MsiCapabilityLayout.Size);
        _msiOffset = offset;
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(offset + MsiCapabilityLayout.MessageControl), MsiCapabilityLayout.Address64Capable);
        SetMask16(_writable, offset + MsiCapabilityLayout.MessageControl,
            MsiCapabilityLayout.Enable | MsiCapabilityLayout.MultipleMessageEnableMask);
        // The address is dword aligned: bits 1:0 read as zero.
        BinaryPrimitives.WriteUInt32LittleEndian(_writable.AsSpan(offset + MsiCapabilityLayout.MessageAddress), 0xFFFF_FFFC);
        BinaryPrimitives.WriteUInt32LittleEndian(_writable.AsSpan(offset + MsiCapabilityLayout.MessageUpperAddress), 0xFFFF_FFFF);
        SetMask16(_writable, offset + MsiCapabilityLayout.MessageData, 0xFFFF);
    }

    /// <summary>Sets a read-only initial value in configuration space (capability bodies, device-specific registers).</summary>
    protected void SetConfigByte(int offset, byte value)
    {
        _config[offset] = value;
        ConfigChanged(offset, 1);
    }

    protected void SetConfig16(int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(offset), value);
        ConfigChanged(offset, 2);
    }

    protected void SetConfig32(int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(offset), value);
        ConfigChanged(offset, 4);
    }

    /// <summary>Records a bus error the function met as a master (a DMA to nowhere): Status.ReceivedMasterAbort.</summary>
    protected void SignalReceivedMasterAbort()
    {
        ushort status = Read16((int)PciConfigRegister.Status);
        SetInitial16(PciConfigRegister.Status, (ushort)(status | (ushort)PciStatus.ReceivedMasterAbort));
    }

    /// <summary>Status bit 3: the function's INTx condition, before Command.InterruptDisable masks it.</summary>
    protected void SetInterruptStatus(bool pending)
    {
        ushort status = Read16((int)PciConfigRegister.Status);
        status = pending ? (ushort)(status | (ushort)PciStatus.InterruptStatus) : (ushort)(status & ~(ushort)PciStatus.InterruptStatus);
        SetInitial16(PciConfigRegister.Status, status);
    }

    private ushort Read16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(_config.AsSpan(offset));

    private void SetInitial16(PciConfigRegister register, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan((int)register), value);
        ConfigChanged((int)register, 2);
    }

    private static void SetMask16(byte[] mask, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(mask.AsSpan(offset), value);
}
