namespace Hardware.Emulator.Ata.Spec;

/// <summary>Word indices of the IDENTIFY DEVICE data (ACS-3 7.12.7, 256 little-endian words) the drive fills in.</summary>
public enum IdentifyWord
{
    GeneralConfiguration = 0,
    SpecificConfiguration = 2,
    /// <summary>Words 10-19: serial number, 20 ATA characters.</summary>
    SerialNumber = 10,
    /// <summary>Words 23-26: firmware revision, 8 ATA characters.</summary>
    FirmwareRevision = 23,
    /// <summary>Words 27-46: model number, 40 ATA characters.</summary>
    ModelNumber = 27,
    /// <summary>Bits 15:8 = 80h, bits 7:0 = most sectors per DRQ block of READ/WRITE MULTIPLE.</summary>
    MaxSectorsPerDrqBlock = 47,
    TrustedComputing = 48,
    Capabilities = 49,
    Capabilities2 = 50,
    /// <summary>Bit 1: words 64-70 valid; bit 2: word 88 valid.</summary>
    FieldValidity = 53,
    /// <summary>Words 60-61: user addressable sectors for 28-bit commands, at most 0FFFFFFFh.</summary>
    TotalSectorsLba28 = 60,
    MultiwordDmaModes = 63,
    PioModes = 64,
    MinMultiwordDmaCycleNs = 65,
    RecommendedMultiwordDmaCycleNs = 66,
    MinPioCycleNs = 67,
    MinPioCycleIordyNs = 68,
    /// <summary>Bit 14: deterministic read after TRIM; bit 5: read zeros after TRIM.</summary>
    AdditionalSupported = 69,
    /// <summary>Bits 4:0: NCQ queue depth minus one.</summary>
    QueueDepth = 75,
    /// <summary>Bits 3:1: Gen3/Gen2/Gen1 signalling speeds; bit 8: NCQ.</summary>
    SataCapabilities = 76,
    /// <summary>Bits 3:1: the currently negotiated speed (1 = Gen1).</summary>
    SataAdditionalCapabilities = 77,
    SataFeaturesSupported = 78,
    SataFeaturesEnabled = 79,
    MajorVersion = 80,
    MinorVersion = 81,
    CommandSetSupported1 = 82,
    CommandSetSupported2 = 83,
    CommandSetSupportedExtension = 84,
    CommandSetEnabled1 = 85,
    CommandSetEnabled2 = 86,
    CommandSetDefault = 87,
    /// <summary>Bits 6:0: Ultra DMA modes supported; bits 14:8: the selected mode.</summary>
    UltraDmaModes = 88,
    /// <summary>Hardware reset results: zero for a SATA device (that is how hosts tell SATA from PATA).</summary>
    HardwareResetResults = 93,
    /// <summary>Words 100-103: user addressable sectors for 48-bit commands.</summary>
    TotalSectorsLba48 = 100,
    /// <summary>Most 512-byte blocks of LBA range entries one DATA SET MANAGEMENT command takes.</summary>
    MaxDsmBlocks = 105,
    /// <summary>Bit 14 = 1 (valid); bit 13: several logical per physical sector; bit 12: logical sector longer than 256 words; bits 3:0: log2(logical per physical).</summary>
    PhysicalLogicalSectorSize = 106,
    /// <summary>Words 117-118: logical sector size in 16-bit words (valid when word 106 bit 12 is set).</summary>
    LogicalSectorSize = 117,
    /// <summary>Bit 0: TRIM supported.</summary>
    DataSetManagement = 169,
    /// <summary>Nominal media rotation rate: 0001h = non-rotating, otherwise RPM.</summary>
    NominalRotationRate = 217,
    /// <summary>Bits 7:0 = A5h signature, bits 15:8 = checksum.</summary>
    Integrity = 255,
}
