namespace Hardware.Emulator.Sata;

/// <summary>ATA Status register bits, as seen in PxTFD.STS and in D2H FISes.</summary>
[Flags]
public enum AtaStatus : byte
{
    None = 0,
    /// <summary>ERR: the Error register holds the reason.</summary>
    Err = 0x01,
    /// <summary>DRQ: data transfer requested.</summary>
    Drq = 0x08,
    /// <summary>DF: device fault.</summary>
    DeviceFault = 0x20,
    /// <summary>DRDY: device ready.</summary>
    Drdy = 0x40,
    /// <summary>BSY: device busy.</summary>
    Bsy = 0x80,
}

/// <summary>ATA Error register bits (ACS-3, 6.3).</summary>
[Flags]
public enum AtaError : byte
{
    None = 0,
    /// <summary>ABRT: command aborted (unsupported, invalid parameter, or device fault).</summary>
    Abrt = 0x04,
    /// <summary>IDNF: address not found (LBA outside the user-accessible range).</summary>
    Idnf = 0x10,
    /// <summary>UNC: uncorrectable data error.</summary>
    Unc = 0x40,
    /// <summary>ICRC: interface CRC error.</summary>
    Icrc = 0x80,
}
