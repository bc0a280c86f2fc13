using System.Buffers.Binary;

namespace Hardware.Emulator.Sata;

/// <summary>
/// DMA Setup FIS (type 41h, 28 bytes). With NCQ the device sends it before a data phase to name the tag whose
/// buffer (the command slot's PRDT) the following Data FISes fill or drain.
/// </summary>
public struct DmaSetupFis
{
    public const int Size = 28;

    public byte PortMultiplierPort;
    /// <summary>Byte 1 bit 5: 1 = device to host (read data), 0 = host to device.</summary>
    public bool DeviceToHost;
    public bool Interrupt;
    /// <summary>Byte 1 bit 7: auto-activate (no DMA Activate FIS needed for a write).</summary>
    public bool AutoActivate;
    /// <summary>DMA buffer identifier; for NCQ bits 4:0 are the tag.</summary>
    public ulong BufferIdentifier;
    public uint BufferOffset;
    public uint TransferCount;

    public static DmaSetupFis Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a DMA Setup FIS is {Size} bytes", nameof(source));
        return new DmaSetupFis
        {
            PortMultiplierPort = (byte)(source[1] & 0x0F),
            DeviceToHost = (source[1] & 0x20) != 0,
            Interrupt = (source[1] & 0x40) != 0,
            AutoActivate = (source[1] & 0x80) != 0,
            BufferIdentifier = BinaryPrimitives.ReadUInt64LittleEndian(source[4..]),
            BufferOffset = BinaryPrimitives.ReadUInt32LittleEndian(source[16..]),
            TransferCount = BinaryPrimitives.ReadUInt32LittleEndian(source[20..]),
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a DMA Setup FIS is {Size} bytes", nameof(destination));
        destination[..Size].Clear();
        destination[0] = (byte)FisType.DmaSetup;
        destination[1] = (byte)((PortMultiplierPort & 0x0F) | (DeviceToHost ? 0x20 : 0) | (Interrupt ? 0x40 : 0) | (AutoActivate ? 0x80 : 0));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], BufferIdentifier);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], BufferOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], TransferCount);
    }

    public readonly int NcqTag => (int)(BufferIdentifier & 0x1F);
}
