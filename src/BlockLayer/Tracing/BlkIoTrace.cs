using System.Buffers.Binary;

namespace Hardware.BlockLayer.Tracing;

/// <summary>
/// One record of a blktrace file (struct blk_io_trace, include/uapi/linux/blktrace_api.h): a 48-byte header,
/// little-endian as an x86 host writes it, followed by <see cref="PduLength"/> payload bytes. <see cref="Action"/>
/// is the action code in the low 16 bits and category bits above (see <see cref="BlktraceActionCodes"/>).
/// </summary>
public readonly record struct BlkIoTrace(
    uint Magic,
    uint Sequence,
    ulong Time,
    ulong Sector,
    uint Bytes,
    uint Action,
    uint ProcessId,
    uint Device,
    uint Cpu,
    ushort Error,
    ushort PduLength)
{
    public const int Size = 48;

    /// <summary>"eat" in the top three bytes; the low byte is the format version.</summary>
    public const uint MagicMask = 0xFFFF_FF00;
    public const uint MagicBase = 0x6561_7400;
    public const byte Version = 7;
    public const uint CurrentMagic = MagicBase | Version;

    public const int MagicOffset = 0;
    public const int SequenceOffset = 4;
    public const int TimeOffset = 8;
    public const int SectorOffset = 16;
    public const int BytesOffset = 24;
    public const int ActionOffset = 28;
    public const int ProcessIdOffset = 32;
    public const int DeviceOffset = 36;
    public const int CpuOffset = 40;
    public const int ErrorOffset = 44;
    public const int PduLengthOffset = 46;

    public static BlkIoTrace Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        return new BlkIoTrace(
            BinaryPrimitives.ReadUInt32LittleEndian(source[MagicOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[SequenceOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[TimeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[SectorOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[BytesOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[ActionOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[ProcessIdOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[DeviceOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[CpuOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[ErrorOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[PduLengthOffset..]));
    }

    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        BinaryPrimitives.WriteUInt32LittleEndian(destination[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SequenceOffset..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[TimeOffset..], Time);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[SectorOffset..], Sector);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[BytesOffset..], Bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ActionOffset..], Action);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ProcessIdOffset..], ProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[DeviceOffset..], Device);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[CpuOffset..], Cpu);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[ErrorOffset..], Error);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[PduLengthOffset..], PduLength);
    }

    /// <summary>The format version in the magic's low byte.</summary>
    public byte MagicVersion => (byte)Magic;

    public bool HasBlktraceMagic => (Magic & MagicMask) == MagicBase;
}
