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

    public static bool IsNcq(byte command) =>
        command is (byte)AtaCommand.ReadFpdmaQueued or (byte)AtaCommand.WriteFpdmaQueued;

    /// <summary>READ/WRITE FPDMA QUEUED: sector count in Features, tag in Count 7:3 (filled in at issue).</summary>
    public static RegisterH2DFis FpdmaQueued(bool write, long lba, int sectors, bool forceUnitAccess) => new()
    {
        IsCommand = true,
        Command = (byte)(write ? AtaCommand.WriteFpdmaQueued : AtaCommand.ReadFpdmaQueued),
        Features = (ushort)(sectors == 65536 ? 0 : sectors),
        Lba = (ulong)lba,
        Device = (byte)(LbaMode | (forceUnitAccess ? FpdmaFua : 0)),
    };

    /// <summary>READ DMA EXT, WRITE DMA EXT or WRITE DMA FUA EXT: sector count in Count (0 = 65536).</summary>
    public static RegisterH2DFis DmaExt(bool write, long lba, int sectors, bool forceUnitAccess) => new()
    {
        IsCommand = true,
        Command = (byte)(!write ? AtaCommand.ReadDmaExt : forceUnitAccess ? AtaCommand.WriteDmaFuaExt : AtaCommand.WriteDmaExt),
        Count = (ushort)(sectors == 65536 ? 0 : sectors),
        Lba = (ulong)lba,
        Device = LbaMode,
    };
}
