namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxCMD bits (AHCI 1.3.1, 3.3.7). CCS and ICC are fields with a mask and a shift.</summary>
[Flags]
public enum PortCommand : uint
{
    None = 0,
    /// <summary>ST: start; the HBA processes the command list.</summary>
    St = 1u << 0,
    /// <summary>SUD: spin-up device (read-only 1 without staggered spin-up).</summary>
    Sud = 1u << 1,
    /// <summary>POD: power on device (read-only 1 without cold presence detect).</summary>
    Pod = 1u << 2,
    /// <summary>CLO: command list override; clears PxTFD.STS.BSY and DRQ, then self-clears.</summary>
    Clo = 1u << 3,
    /// <summary>FRE: FIS receive enable.</summary>
    Fre = 1u << 4,
    /// <summary>CCS: current command slot (bits 12:8).</summary>
    CcsMask = 0x1Fu << 8,
    /// <summary>MPSS: mechanical presence switch state.</summary>
    Mpss = 1u << 13,
    /// <summary>FR: FIS receive running.</summary>
    Fr = 1u << 14,
    /// <summary>CR: command list running.</summary>
    Cr = 1u << 15,
    /// <summary>CPS: cold presence state.</summary>
    Cps = 1u << 16,
    /// <summary>PMA: port multiplier attached.</summary>
    Pma = 1u << 17,
    /// <summary>HPCP: hot plug capable port.</summary>
    Hpcp = 1u << 18,
    /// <summary>MPSP: mechanical presence switch attached.</summary>
    Mpsp = 1u << 19,
    /// <summary>CPD: cold presence detection.</summary>
    Cpd = 1u << 20,
    /// <summary>ESP: external SATA port.</summary>
    Esp = 1u << 21,
    /// <summary>FBSCP: FIS-based switching capable port.</summary>
    Fbscp = 1u << 22,
    /// <summary>APSTE: automatic partial to slumber transitions enabled.</summary>
    Apste = 1u << 23,
    /// <summary>ATAPI: the device is an ATAPI device.</summary>
    Atapi = 1u << 24,
    /// <summary>DLAE: drive LED on ATAPI enable.</summary>
    Dlae = 1u << 25,
    /// <summary>ALPE: aggressive link power management enable.</summary>
    Alpe = 1u << 26,
    /// <summary>ASP: aggressive slumber / partial.</summary>
    Asp = 1u << 27,
    /// <summary>ICC: interface communication control (bits 31:28).</summary>
    IccMask = 0xFu << 28,
}

public static class PortCommandFields
{
    public const int CcsShift = 8;
    public const int IccShift = 28;

    /// <summary>ICC values: 0 idle / no-op, 1 active, 2 partial, 6 slumber, 8 DevSleep.</summary>
    public const uint IccIdle = 0x0;
    public const uint IccActive = 0x1;
    public const uint IccPartial = 0x2;
    public const uint IccSlumber = 0x6;
    public const uint IccDevSleep = 0x8;

    public static int CurrentCommandSlot(uint cmd) => (int)((cmd & (uint)PortCommand.CcsMask) >> CcsShift);

    public static uint WithCurrentCommandSlot(uint cmd, int slot) =>
        (cmd & ~(uint)PortCommand.CcsMask) | ((uint)slot << CcsShift & (uint)PortCommand.CcsMask);

    public static uint InterfaceCommunicationControl(uint cmd) => (cmd & (uint)PortCommand.IccMask) >> IccShift;
}
