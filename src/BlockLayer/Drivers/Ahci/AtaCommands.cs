using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>Builds the command FISes the driver issues (ACS-3 register layouts).</summary>
internal static class AtaCommands
{
    /// <summary>Device register: bit 6 selects LBA addressing.</summary>
    private const byte LbaMode = 0x40;

    /// <summary>FPDMA commands: Device bit 7 is FUA.</summary>
    private const byte FpdmaFua = 0x80;

    /// <summary>DATA SET MANAGEMENT Features bit 0: the ranges are to be trimmed.</summary>
    private const ushort DsmTrim = 0x0001;

    /// <summary>Most sectors one 48-bit DMA or FPDMA command moves in this driver (Linux's ATA_MAX_SECTORS_LBA48).</summary>
    public const int MaxSectorsLba48 = 65535;

    /// <summary>READ/WRITE FPDMA QUEUED: sector count in Features, the tag in Count 7:3.</summary>
    public static RegisterH2DFis FpdmaQueued(bool write, long lba, int sectors, bool forceUnitAccess, int tag) => new()
    {
        IsCommand = true,
        Command = (byte)(write ? AtaCommand.WriteFpdmaQueued : AtaCommand.ReadFpdmaQueued),
        Features = (ushort)sectors,
        Count = (ushort)(tag << 3),
        Lba = (ulong)lba,
        Device = (byte)(LbaMode | (forceUnitAccess ? FpdmaFua : 0)),
    };

    /// <summary>READ DMA EXT, WRITE DMA EXT or WRITE DMA FUA EXT: sector count in Count.</summary>
    public static RegisterH2DFis DmaExt(bool write, long lba, int sectors, bool forceUnitAccess) => new()
    {
        IsCommand = true,
        Command = (byte)(!write ? AtaCommand.ReadDmaExt : forceUnitAccess ? AtaCommand.WriteDmaFuaExt : AtaCommand.WriteDmaExt),
        Count = (ushort)sectors,
        Lba = (ulong)lba,
        Device = LbaMode,
    };

    public static RegisterH2DFis FlushCacheExt() => new()
    {
        IsCommand = true,
        Command = (byte)AtaCommand.FlushCacheExt,
        Device = LbaMode,
    };

    /// <summary>DATA SET MANAGEMENT with TRIM: Count is the number of 512-byte blocks of range entries sent.</summary>
    public static RegisterH2DFis DataSetManagementTrim(int blocks) => new()
    {
        IsCommand = true,
        Command = (byte)AtaCommand.DataSetManagement,
        Features = DsmTrim,
        Count = (ushort)blocks,
        Device = LbaMode,
    };

    public static RegisterH2DFis IdentifyDevice() => new()
    {
        IsCommand = true,
        Command = (byte)AtaCommand.IdentifyDevice,
    };

    /// <summary>READ LOG EXT: the log address in LBA 7:0, the first page in LBA 15:8, the page count in Count.</summary>
    public static RegisterH2DFis ReadLogExt(LogAddress log, int page, int pages) => new()
    {
        IsCommand = true,
        Command = (byte)AtaCommand.ReadLogExt,
        Lba = (byte)log | (ulong)(page & 0xFF) << 8,
        Count = (ushort)pages,
        Device = LbaMode,
    };
}
