using System.Buffers.Binary;

namespace Hardware.Emulator.Sata;

/// <summary>PIO Setup FIS (type 5Fh, 20 bytes): precedes a PIO data phase such as IDENTIFY DEVICE's 512 bytes.</summary>
public struct PioSetupFis
{
    public const int Size = 20;

    public byte PortMultiplierPort;
    /// <summary>Byte 1 bit 5: 1 = device to host.</summary>
    public bool DeviceToHost;
    public bool Interrupt;
    public AtaStatus Status;
    public AtaError Error;
    public ulong Lba;
    public byte Device;
    public ushort Count;
    /// <summary>The Status the host shadows once the data phase ends.</summary>
    public AtaStatus EndStatus;
    public ushort TransferCount;

    public static PioSetupFis Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a PIO Setup FIS is {Size} bytes", nameof(source));
        return new PioSetupFis
        {
            PortMultiplierPort = (byte)(source[1] & 0x0F),
            DeviceToHost = (source[1] & 0x20) != 0,
            Interrupt = (source[1] & 0x40) != 0,
            Status = (AtaStatus)source[2],
            Error = (AtaError)source[3],
            Lba = FisLba.Read(source),
            Device = source[7],
            Count = (ushort)(source[12] | source[13] << 8),
            EndStatus = (AtaStatus)source[15],
            TransferCount = BinaryPrimitives.ReadUInt16LittleEndian(source[16..]),
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a PIO Setup FIS is {Size} bytes", nameof(destination));
        destination[..Size].Clear();
        destination[0] = (byte)FisType.PioSetup;
        destination[1] = (byte)((PortMultiplierPort & 0x0F) | (DeviceToHost ? 0x20 : 0) | (Interrupt ? 0x40 : 0));
        destination[2] = (byte)Status;
        destination[3] = (byte)Error;
        FisLba.Write(destination, Lba);
        destination[7] = Device;
        destination[12] = (byte)Count;
        destination[13] = (byte)(Count >> 8);
        destination[15] = (byte)EndStatus;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[16..], TransferCount);
    }
}
