namespace Hardware.Emulator.Ahci.Spec;

/// <summary>The received-FIS area at PxFB where the HBA posts incoming FISes (AHCI 1.3.1, 4.2.1).</summary>
public static class ReceivedFisLayout
{
    /// <summary>DSFIS: DMA Setup FIS.</summary>
    public const int DmaSetupOffset = 0x00;
    /// <summary>PSFIS: PIO Setup FIS.</summary>
    public const int PioSetupOffset = 0x20;
    /// <summary>RFIS: D2H Register FIS.</summary>
    public const int RegisterD2HOffset = 0x40;
    /// <summary>SDBFIS: Set Device Bits FIS.</summary>
    public const int SetDeviceBitsOffset = 0x58;
    /// <summary>UFIS: unknown FIS, up to 64 bytes.</summary>
    public const int UnknownFisOffset = 0x60;
    public const int UnknownFisSize = 64;
    public const int Size = 256;
}
