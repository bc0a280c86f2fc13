namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxSCTL (SControl) fields: DET 3:0, SPD 7:4, IPM 11:8, SPM 15:12, PMP 19:16 (AHCI 1.3.1, 3.3.11).</summary>
public static class SControl
{
    /// <summary>Bits software may write; 31:20 are reserved.</summary>
    public const uint WritableMask = 0x000F_FFFF;

    /// <summary>DET: no device detection or initialization action requested.</summary>
    public const uint DetNoAction = 0x0;
    /// <summary>DET: perform interface initialization (COMRESET) while set.</summary>
    public const uint DetComReset = 0x1;
    /// <summary>DET: disable the SATA interface and put the PHY offline.</summary>
    public const uint DetDisable = 0x4;

    /// <summary>SPD: no speed negotiation restriction.</summary>
    public const uint SpdNoRestriction = 0x0;

    public static uint Det(uint sctl) => sctl & 0xF;

    /// <summary>SPD: highest allowed speed, 0 = no restriction, else the <see cref="Sata.SataGeneration"/>.</summary>
    public static uint Spd(uint sctl) => (sctl >> 4) & 0xF;

    public static uint Ipm(uint sctl) => (sctl >> 8) & 0xF;

    public static uint Compose(uint det, uint spd = 0, uint ipm = 0) => (det & 0xF) | (spd & 0xF) << 4 | (ipm & 0xF) << 8;
}
