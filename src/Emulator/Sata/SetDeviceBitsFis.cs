using System.Buffers.Binary;

namespace Hardware.Emulator.Sata;

/// <summary>Set Device Bits FIS (type A1h, 8 bytes): NCQ completions (a bit per finished tag) and NCQ errors.</summary>
public struct SetDeviceBitsFis
{
    public const int Size = 8;

    public byte PortMultiplierPort;
    /// <summary>Byte 1 bit 6: raise PxIS.SDBS.</summary>
    public bool Interrupt;
    /// <summary>Byte 1 bit 7: asynchronous notification.</summary>
    public bool Notification;
    /// <summary>Status bits 6:4 and 2:0 as they replace the shadow Status (BSY and DRQ are not carried).</summary>
    public AtaStatus Status;
    public AtaError Error;
    /// <summary>Tags this FIS completes: the host clears these bits of PxSACT.</summary>
    public uint CompletedTags;

    public static SetDeviceBitsFis Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a Set Device Bits FIS is {Size} bytes", nameof(source));
        return new SetDeviceBitsFis
        {
            PortMultiplierPort = (byte)(source[1] & 0x0F),
            Interrupt = (source[1] & 0x40) != 0,
            Notification = (source[1] & 0x80) != 0,
            Status = (AtaStatus)(source[2] & 0x77),
            Error = (AtaError)source[3],
            CompletedTags = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a Set Device Bits FIS is {Size} bytes", nameof(destination));
        destination[0] = (byte)FisType.SetDeviceBits;
        destination[1] = (byte)((PortMultiplierPort & 0x0F) | (Interrupt ? 0x40 : 0) | (Notification ? 0x80 : 0));
        destination[2] = (byte)((byte)Status & 0x77);
        destination[3] = (byte)Error;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], CompletedTags);
    }
}
