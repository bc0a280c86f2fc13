using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>ATA command opcodes (ACS-3) and Register H2D FIS builders, as a driver writes them into a CFIS.</summary>
public static class AtaCommands
{
    public const byte DataSetManagement = 0x06;
    public const byte ReadSectors = 0x20;
    public const byte ReadSectorsExt = 0x24;
    public const byte ReadDmaExt = 0x25;
    public const byte ReadLogExt = 0x2F;
    public const byte WriteSectors = 0x30;
    public const byte WriteSectorsExt = 0x34;
    public const byte WriteDmaExt = 0x35;
    public const byte WriteDmaFuaExt = 0x3D;
    public const byte ReadVerifySectorsExt = 0x42;
    public const byte ReadFpdmaQueued = 0x60;
    public const byte WriteFpdmaQueued = 0x61;
    public const byte ReadDma = 0xC8;
    public const byte WriteDma = 0xCA;
    public const byte FlushCache = 0xE7;
    public const byte FlushCacheExt = 0xEA;
    public const byte IdentifyDevice = 0xEC;
    public const byte SetFeatures = 0xEF;

    /// <summary>SET FEATURES subcommands (Features 7:0): volatile write cache and read look-ahead on or off.</summary>
    public const byte EnableWriteCache = 0x02;
    public const byte DisableReadLookAhead = 0x55;
    public const byte DisableWriteCache = 0x82;
    public const byte EnableReadLookAhead = 0xAA;

    /// <summary>READ LOG EXT log address of the NCQ Command Error log.</summary>
    public const byte NcqCommandErrorLog = 0x10;

    /// <summary>Device register bit 6: LBA addressing.</summary>
    public const byte DeviceLba = 0x40;

    public static RegisterH2DFis Command(byte opcode) => new() { IsCommand = true, Command = opcode };

    public static RegisterH2DFis Identify() => Command(IdentifyDevice);

    public static RegisterH2DFis FlushExt() => Command(FlushCacheExt);

    public static RegisterH2DFis Flush() => Command(FlushCache);

    /// <summary>SET FEATURES, e.g. 02h enable / 82h disable the volatile write cache.</summary>
    public static RegisterH2DFis SetFeature(byte subcommand, ushort count = 0) =>
        Command(SetFeatures) with { Features = subcommand, Count = count };

    /// <summary>A 48-bit command (READ/WRITE DMA EXT, READ VERIFY EXT, ...): count 0 means 65536.</summary>
    public static RegisterH2DFis Lba48(byte opcode, long lba, int sectorCount)
    {
        if (lba < 0 || lba >= 1L << 48)
            throw new ArgumentOutOfRangeException(nameof(lba));
        if (sectorCount is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(sectorCount));
        return Command(opcode) with { Lba = (ulong)lba, Count = (ushort)(sectorCount & 0xFFFF), Device = DeviceLba };
    }

    /// <summary>A 28-bit command (READ/WRITE DMA): LBA 27:24 in Device 3:0, count 0 means 256.</summary>
    public static RegisterH2DFis Lba28(byte opcode, long lba, int sectorCount)
    {
        if (lba < 0 || lba >= 1L << 28)
            throw new ArgumentOutOfRangeException(nameof(lba));
        if (sectorCount is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(sectorCount));
        return Command(opcode) with
        {
            Lba = (ulong)(lba & 0xFF_FFFF),
            Count = (ushort)(sectorCount & 0xFF),
            Device = (byte)(DeviceLba | (lba >> 24) & 0xF),
        };
    }

    public static RegisterH2DFis ReadDma48(long lba, int sectors) => Lba48(ReadDmaExt, lba, sectors);

    public static RegisterH2DFis WriteDma48(long lba, int sectors) => Lba48(WriteDmaExt, lba, sectors);

    /// <summary>WRITE DMA FUA EXT: the data is on the medium before the command completes.</summary>
    public static RegisterH2DFis WriteDmaFua48(long lba, int sectors) => Lba48(WriteDmaFuaExt, lba, sectors);

    public static RegisterH2DFis ReadDma28(long lba, int sectors) => Lba28(ReadDma, lba, sectors);

    public static RegisterH2DFis WriteDma28(long lba, int sectors) => Lba28(WriteDma, lba, sectors);

    /// <summary>READ/WRITE FPDMA QUEUED: sector count in Features, tag in Count 7:3, FUA in Device 7.</summary>
    public static RegisterH2DFis Fpdma(byte opcode, int tag, long lba, int sectorCount, bool forceUnitAccess = false)
    {
        if ((uint)tag > 31)
            throw new ArgumentOutOfRangeException(nameof(tag));
        if (sectorCount is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(sectorCount));
        return Command(opcode) with
        {
            Lba = (ulong)lba,
            Features = (ushort)(sectorCount & 0xFFFF),
            Count = (ushort)(tag << 3),
            Device = (byte)(DeviceLba | (forceUnitAccess ? 0x80 : 0)),
        };
    }

    public static RegisterH2DFis ReadFpdma(int tag, long lba, int sectors, bool fua = false) => Fpdma(ReadFpdmaQueued, tag, lba, sectors, fua);

    public static RegisterH2DFis WriteFpdma(int tag, long lba, int sectors, bool fua = false) => Fpdma(WriteFpdmaQueued, tag, lba, sectors, fua);

    /// <summary>READ LOG EXT of <paramref name="page"/> (10h: NCQ command error log), <paramref name="sectors"/> long.</summary>
    public static RegisterH2DFis ReadLog(byte page, int sectors = 1) =>
        Command(ReadLogExt) with { Lba = page, Count = (ushort)sectors };

    public static bool IsQueued(in RegisterH2DFis fis) => fis.Command is ReadFpdmaQueued or WriteFpdmaQueued or 0x63 or 0x64 or 0x65;
}
