namespace Hardware.Emulator.Ahci.Spec;

/// <summary>GHC bits (AHCI 1.3.1, 3.1.2).</summary>
[Flags]
public enum GlobalHbaControl : uint
{
    None = 0,
    /// <summary>HR: HBA reset; reads 1 until the reset has completed.</summary>
    Hr = 1u << 0,
    /// <summary>IE: interrupt enable.</summary>
    Ie = 1u << 1,
    /// <summary>MRSM: MSI revert to single message.</summary>
    Mrsm = 1u << 2,
    /// <summary>AE: AHCI enable.</summary>
    Ae = 1u << 31,
}
