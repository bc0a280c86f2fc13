namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxSSTS (SStatus) fields: DET 3:0, SPD 7:4, IPM 11:8 (AHCI 1.3.1, 3.3.10).</summary>
public static class SStatus
{
    /// <summary>DET: no device detected and no PHY communication.</summary>
    public const uint DetNoDevice = 0x0;
    /// <summary>DET: device presence detected but PHY communication not established.</summary>
    public const uint DetPresentNoPhy = 0x1;
    /// <summary>DET: device presence detected and PHY communication established.</summary>
    public const uint DetPresentPhy = 0x3;
    /// <summary>DET: PHY offline (disabled or in loopback).</summary>
    public const uint DetOffline = 0x4;

    /// <summary>IPM: not present or communication not established.</summary>
    public const uint IpmNotPresent = 0x0;
    /// <summary>IPM: interface in active state.</summary>
    public const uint IpmActive = 0x1;
    public const uint IpmPartial = 0x2;
    public const uint IpmSlumber = 0x6;

    public static uint Det(uint ssts) => ssts & 0xF;

    /// <summary>SPD: negotiated speed, 0 = none, else the <see cref="Sata.SataGeneration"/>.</summary>
    public static uint Spd(uint ssts) => (ssts >> 4) & 0xF;

    public static uint Ipm(uint ssts) => (ssts >> 8) & 0xF;

    public static uint Compose(uint det, uint spd, uint ipm) => (det & 0xF) | (spd & 0xF) << 4 | (ipm & 0xF) << 8;
}
