namespace Hardware.Emulator.Ahci.Spec;

/// <summary>CAP2 bits (AHCI 1.3.1, 3.1.10).</summary>
[Flags]
public enum HbaCapabilities2 : uint
{
    None = 0,
    /// <summary>BOH: BIOS/OS handoff (BOHC implemented).</summary>
    Boh = 1u << 0,
    /// <summary>NVMP: NVMHCI present.</summary>
    Nvmp = 1u << 1,
    /// <summary>APST: automatic partial to slumber transitions.</summary>
    Apst = 1u << 2,
    /// <summary>SDS: device sleep.</summary>
    Sds = 1u << 3,
    /// <summary>SADM: aggressive device sleep management.</summary>
    Sadm = 1u << 4,
    /// <summary>DESO: DevSleep entrance from slumber only.</summary>
    Deso = 1u << 5,
}
