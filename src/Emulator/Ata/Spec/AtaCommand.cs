namespace Hardware.Emulator.Ata.Spec;

/// <summary>The ATA command opcodes the drive decodes (ACS-3 command codes). Every other opcode completes with ABRT.</summary>
public enum AtaCommand : byte
{
    /// <summary>DATA SET MANAGEMENT (DMA data-out of LBA range entries; Features bit 0 = TRIM).</summary>
    DataSetManagement = 0x06,
    /// <summary>READ DMA EXT (LBA48, Count 0 = 65536).</summary>
    ReadDmaExt = 0x25,
    /// <summary>READ LOG EXT (PIO data-in; LBA 7:0 = log address, LBA 15:8 = page, Count = pages).</summary>
    ReadLogExt = 0x2F,
    /// <summary>WRITE DMA EXT (LBA48, Count 0 = 65536).</summary>
    WriteDmaExt = 0x35,
    /// <summary>WRITE DMA FUA EXT: the data is on the medium before the command completes.</summary>
    WriteDmaFuaExt = 0x3D,
    /// <summary>READ VERIFY SECTORS EXT: reads the medium, transfers nothing.</summary>
    ReadVerifySectorsExt = 0x42,
    /// <summary>READ FPDMA QUEUED (NCQ: tag in Count 7:3, sectors in Features, FUA in Device bit 7).</summary>
    ReadFpdmaQueued = 0x60,
    /// <summary>WRITE FPDMA QUEUED.</summary>
    WriteFpdmaQueued = 0x61,
    /// <summary>READ DMA (LBA28: LBA 27:24 in Device 3:0, Count 7:0, 0 = 256).</summary>
    ReadDma = 0xC8,
    /// <summary>WRITE DMA (LBA28).</summary>
    WriteDma = 0xCA,
    FlushCache = 0xE7,
    FlushCacheExt = 0xEA,
    /// <summary>IDENTIFY DEVICE (PIO data-in, 512 bytes).</summary>
    IdentifyDevice = 0xEC,
    /// <summary>SET FEATURES (subcommand in Features 7:0).</summary>
    SetFeatures = 0xEF,
}
