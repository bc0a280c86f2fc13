using System.Buffers.Binary;

namespace Hardware.Emulator.Sata;

/// <summary>Register FIS, host to device (type 27h, 20 bytes): carries a command or a device control update.</summary>
public struct RegisterH2DFis
{
    public const int Size = 20;

    /// <summary>Byte 1 bits 3:0.</summary>
    public byte PortMultiplierPort;
    /// <summary>Byte 1 bit 7: 1 = the Command register is updated (a new command), 0 = Device Control update.</summary>
    public bool IsCommand;
    public byte Command;
    /// <summary>Features 15:0 (bytes 3 and 11).</summary>
    public ushort Features;
    /// <summary>LBA 47:0 (bytes 4-6, 8-10).</summary>
    public ulong Lba;
    public byte Device;
    /// <summary>Count 15:0 (bytes 12 and 13).</summary>
    public ushort Count;
    public byte Icc;
    public byte Control;

    public static RegisterH2DFis Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a register H2D FIS is {Size} bytes", nameof(source));
        return new RegisterH2DFis
        {
            PortMultiplierPort = (byte)(source[1] & 0x0F),
            IsCommand = (source[1] & 0x80) != 0,
            Command = source[2],
            Features = (ushort)(source[3] | source[11] << 8),
            Lba = FisLba.Read(source),
            Device = source[7],
            Count = BinaryPrimitives.ReadUInt16LittleEndian(source[12..]),
            Icc = source[14],
            Control = source[15],
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a register H2D FIS is {Size} bytes", nameof(destination));
        destination[..Size].Clear();
        destination[0] = (byte)FisType.RegisterHostToDevice;
        destination[1] = (byte)((PortMultiplierPort & 0x0F) | (IsCommand ? 0x80 : 0));
        destination[2] = Command;
        destination[3] = (byte)Features;
        FisLba.Write(destination, Lba);
        destination[7] = Device;
        destination[11] = (byte)(Features >> 8);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[12..], Count);
        destination[14] = Icc;
        destination[15] = Control;
    }

    /// <summary>For READ/WRITE FPDMA QUEUED: the NCQ tag, Count bits 7:3.</summary>
    public readonly int NcqTag => (Count >> 3) & 0x1F;

    /// <summary>For FPDMA commands the sector count travels in Features; 0 means 65536.</summary>
    public readonly int NcqSectorCount => Features == 0 ? 65536 : Features;

    /// <summary>For FPDMA commands: Device bit 7 is FUA.</summary>
    public readonly bool NcqForceUnitAccess => (Device & 0x80) != 0;
}
