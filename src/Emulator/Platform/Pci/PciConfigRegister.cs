namespace Hardware.Emulator.Platform;

/// <summary>Offsets in the type 0 configuration header (PCI Local Bus 3.0, 6.1), named after the spec fields.</summary>
public enum PciConfigRegister : int
{
    VendorId = 0x00,
    DeviceId = 0x02,
    Command = 0x04,
    Status = 0x06,
    RevisionId = 0x08,
    /// <summary>Programming interface, the low byte of the 24-bit class code.</summary>
    ProgIf = 0x09,
    SubClass = 0x0A,
    BaseClass = 0x0B,
    CacheLineSize = 0x0C,
    LatencyTimer = 0x0D,
    HeaderType = 0x0E,
    Bist = 0x0F,
    Bar0 = 0x10,
    Bar1 = 0x14,
    Bar2 = 0x18,
    Bar3 = 0x1C,
    Bar4 = 0x20,
    Bar5 = 0x24,
    CardbusCisPointer = 0x28,
    SubsystemVendorId = 0x2C,
    SubsystemId = 0x2E,
    ExpansionRomBase = 0x30,
    CapabilitiesPointer = 0x34,
    InterruptLine = 0x3C,
    InterruptPin = 0x3D,
    MinGrant = 0x3E,
    MaxLatency = 0x3F,
}

/// <summary>Command register bits a device model honours.</summary>
[Flags]
public enum PciCommand : ushort
{
    None = 0,
    IoSpace = 1 << 0,
    MemorySpace = 1 << 1,
    BusMaster = 1 << 2,
    ParityErrorResponse = 1 << 6,
    SerrEnable = 1 << 8,
    InterruptDisable = 1 << 10,
}

/// <summary>Status register bits.</summary>
[Flags]
public enum PciStatus : ushort
{
    None = 0,
    InterruptStatus = 1 << 3,
    CapabilitiesList = 1 << 4,
    MasterDataParityError = 1 << 8,
    SignaledTargetAbort = 1 << 11,
    ReceivedTargetAbort = 1 << 12,
    ReceivedMasterAbort = 1 << 13,
    SignaledSystemError = 1 << 14,
    DetectedParityError = 1 << 15,
}

/// <summary>Capability IDs (PCI Code and ID Assignment spec).</summary>
public enum PciCapabilityId : byte
{
    PowerManagement = 0x01,
    Msi = 0x05,
    Sata = 0x12,
}

/// <summary>The INTx pin a function uses, as encoded in the Interrupt Pin register.</summary>
public enum PciInterruptPin : byte
{
    None = 0,
    IntA = 1,
    IntB = 2,
    IntC = 3,
    IntD = 4,
}
