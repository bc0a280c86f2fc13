namespace Hardware.Emulator.Ahci.Spec;

/// <summary>CAP bits (AHCI 1.3.1, 3.1.1). Multi-bit fields have a mask and a shift.</summary>
[Flags]
public enum HbaCapabilities : uint
{
    None = 0,
    /// <summary>NP: number of ports minus one (bits 4:0).</summary>
    NumberOfPortsMask = 0x1F,
    /// <summary>SXS: external SATA.</summary>
    Sxs = 1u << 5,
    /// <summary>EMS: enclosure management.</summary>
    Ems = 1u << 6,
    /// <summary>CCCS: command completion coalescing.</summary>
    Cccs = 1u << 7,
    /// <summary>NCS: number of command slots minus one (bits 12:8).</summary>
    NumberOfCommandSlotsMask = 0x1Fu << 8,
    /// <summary>PSC: partial state capable.</summary>
    Psc = 1u << 13,
    /// <summary>SSC: slumber state capable.</summary>
    Ssc = 1u << 14,
    /// <summary>PMD: PIO multiple DRQ block.</summary>
    Pmd = 1u << 15,
    /// <summary>FBSS: FIS-based switching.</summary>
    Fbss = 1u << 16,
    /// <summary>SPM: port multiplier.</summary>
    Spm = 1u << 17,
    /// <summary>SAM: AHCI mode only (GHC.AE read-only 1).</summary>
    Sam = 1u << 18,
    /// <summary>ISS: interface speed support (bits 23:20, a <see cref="Sata.SataGeneration"/>).</summary>
    InterfaceSpeedMask = 0xFu << 20,
    /// <summary>SCLO: command list override (PxCMD.CLO).</summary>
    Sclo = 1u << 24,
    /// <summary>SAL: activity LED.</summary>
    Sal = 1u << 25,
    /// <summary>SALP: aggressive link power management.</summary>
    Salp = 1u << 26,
    /// <summary>SSS: staggered spin-up.</summary>
    Sss = 1u << 27,
    /// <summary>SMPS: mechanical presence switch.</summary>
    Smps = 1u << 28,
    /// <summary>SSNTF: SNotification register.</summary>
    Ssntf = 1u << 29,
    /// <summary>SNCQ: native command queuing.</summary>
    Sncq = 1u << 30,
    /// <summary>S64A: 64-bit addressing.</summary>
    S64a = 1u << 31,
}

public static class HbaCapabilityFields
{
    public const int NumberOfCommandSlotsShift = 8;
    public const int InterfaceSpeedShift = 20;

    public static int PortCount(uint cap) => (int)(cap & (uint)HbaCapabilities.NumberOfPortsMask) + 1;

    public static int CommandSlotCount(uint cap) => (int)((cap & (uint)HbaCapabilities.NumberOfCommandSlotsMask) >> NumberOfCommandSlotsShift) + 1;

    public static int InterfaceSpeed(uint cap) => (int)((cap & (uint)HbaCapabilities.InterfaceSpeedMask) >> InterfaceSpeedShift);
}
