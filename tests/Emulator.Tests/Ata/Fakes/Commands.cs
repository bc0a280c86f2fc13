using Hardware.Emulator.Ata.Spec;
using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Tests.Ata.Fakes;

/// <summary>Register H2D FISes for the commands the tests send, laid out as a host driver would.</summary>
public static class Commands
{
    public static RegisterH2DFis ReadDmaExt(long lba, int sectors) => Ext(AtaCommand.ReadDmaExt, lba, sectors);

    public static RegisterH2DFis WriteDmaExt(long lba, int sectors) => Ext(AtaCommand.WriteDmaExt, lba, sectors);

    public static RegisterH2DFis WriteDmaFuaExt(long lba, int sectors) => Ext(AtaCommand.WriteDmaFuaExt, lba, sectors);

    public static RegisterH2DFis ReadVerifyExt(long lba, int sectors) => Ext(AtaCommand.ReadVerifySectorsExt, lba, sectors);

    public static RegisterH2DFis ReadDma(long lba, int sectors) => Lba28(AtaCommand.ReadDma, lba, sectors);

    public static RegisterH2DFis WriteDma(long lba, int sectors) => Lba28(AtaCommand.WriteDma, lba, sectors);

    /// <summary>READ/WRITE FPDMA QUEUED: tag in Count 7:3, sectors in Features, FUA in Device bit 7.</summary>
    public static RegisterH2DFis Fpdma(bool read, int tag, long lba, int sectors, bool fua = false) => new()
    {
        IsCommand = true,
        Command = (byte)(read ? AtaCommand.ReadFpdmaQueued : AtaCommand.WriteFpdmaQueued),
        Features = (ushort)(sectors == 65536 ? 0 : sectors),
        Count = (ushort)(tag << 3),
        Lba = (ulong)lba,
        Device = (byte)(0x40 | (fua ? 0x80 : 0)),
    };

    public static RegisterH2DFis NonData(AtaCommand command, ushort features = 0, ushort count = 0, ulong lba = 0) => new()
    {
        IsCommand = true,
        Command = (byte)command,
        Features = features,
        Count = count,
        Lba = lba,
        Device = 0x40,
    };

    public static RegisterH2DFis Opcode(byte opcode) => new() { IsCommand = true, Command = opcode, Device = 0x40 };

    public static RegisterH2DFis ReadLogExt(LogAddress log, ushort pages = 1) => NonData(AtaCommand.ReadLogExt, count: pages, lba: (ulong)log);

    public static RegisterH2DFis Trim(int blocks) => NonData(AtaCommand.DataSetManagement, features: 1, count: (ushort)blocks);

    public static byte[] TrimRanges(params (long Lba, ushort Length)[] ranges)
    {
        var payload = new byte[512];
        for (int i = 0; i < ranges.Length; i++)
            new DsmRangeEntry { Lba = (ulong)ranges[i].Lba, Length = ranges[i].Length }.Write(payload.AsSpan(i * DsmRangeEntry.Size));
        return payload;
    }

    private static RegisterH2DFis Ext(AtaCommand command, long lba, int sectors) => new()
    {
        IsCommand = true,
        Command = (byte)command,
        Count = (ushort)(sectors == 65536 ? 0 : sectors),
        Lba = (ulong)lba,
        Device = 0x40,
    };

    private static RegisterH2DFis Lba28(AtaCommand command, long lba, int sectors) => new()
    {
        IsCommand = true,
        Command = (byte)command,
        Count = (ushort)(sectors == 256 ? 0 : sectors),
        Lba = (ulong)(lba & 0xFF_FFFF),
        Device = (byte)(0x40 | ((lba >> 24) & 0x0F)),
    };
}
