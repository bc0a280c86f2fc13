using System.Buffers.Binary;

namespace Hardware.Emulator.Ahci.Spec;

/// <summary>
/// One entry of a port's command list (AHCI 1.3.1, 4.2.2), 32 bytes: DW0 flags and PRDT length, DW1 the PRD byte
/// count the HBA writes back, DW2-3 the command table's address, DW4-7 reserved.
/// </summary>
public struct CommandHeader
{
    public const int Size = 32;

    public const int PrdByteCountOffset = 4;
    public const int CommandTableBaseOffset = 8;
    public const int CommandTableBaseUpperOffset = 12;

    /// <summary>CFL: command FIS length in dwords, 2-16 (5 for a Register H2D FIS).</summary>
    public int CommandFisLength;
    /// <summary>A: ATAPI, the ACMD area holds a SCSI command.</summary>
    public bool Atapi;
    /// <summary>W: write, data flows host to device.</summary>
    public bool IsWrite;
    /// <summary>P: prefetchable, the HBA may fetch the PRDT and data ahead.</summary>
    public bool Prefetchable;
    /// <summary>R: reset, part of a software reset sequence.</summary>
    public bool Reset;
    /// <summary>B: BIST FIS.</summary>
    public bool Bist;
    /// <summary>C: clear PxTFD.STS.BSY and PxCI when the FIS has been sent (R_OK).</summary>
    public bool ClearBusyUponOk;
    /// <summary>PMP: port multiplier port.</summary>
    public byte PortMultiplierPort;
    /// <summary>PRDTL: PRD entries in the command table.</summary>
    public ushort PrdTableLength;
    /// <summary>PRDBC: bytes transferred so far (written by the HBA).</summary>
    public uint PrdByteCount;
    /// <summary>CTBA/CTBAU: command table address, 128-byte aligned.</summary>
    public ulong CommandTableBase;

    public static CommandHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a command header is {Size} bytes", nameof(source));
        uint dw0 = BinaryPrimitives.ReadUInt32LittleEndian(source);
        return new CommandHeader
        {
            CommandFisLength = (int)(dw0 & 0x1F),
            Atapi = (dw0 & (1u << 5)) != 0,
            IsWrite = (dw0 & (1u << 6)) != 0,
            Prefetchable = (dw0 & (1u << 7)) != 0,
            Reset = (dw0 & (1u << 8)) != 0,
            Bist = (dw0 & (1u << 9)) != 0,
            ClearBusyUponOk = (dw0 & (1u << 10)) != 0,
            PortMultiplierPort = (byte)((dw0 >> 12) & 0xF),
            PrdTableLength = (ushort)(dw0 >> 16),
            PrdByteCount = BinaryPrimitives.ReadUInt32LittleEndian(source[PrdByteCountOffset..]),
            CommandTableBase = BinaryPrimitives.ReadUInt32LittleEndian(source[CommandTableBaseOffset..])
                | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(source[CommandTableBaseUpperOffset..]) << 32,
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a command header is {Size} bytes", nameof(destination));
        uint dw0 = (uint)(CommandFisLength & 0x1F)
            | (Atapi ? 1u << 5 : 0) | (IsWrite ? 1u << 6 : 0) | (Prefetchable ? 1u << 7 : 0)
            | (Reset ? 1u << 8 : 0) | (Bist ? 1u << 9 : 0) | (ClearBusyUponOk ? 1u << 10 : 0)
            | (uint)(PortMultiplierPort & 0xF) << 12 | (uint)PrdTableLength << 16;
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, dw0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[PrdByteCountOffset..], PrdByteCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[CommandTableBaseOffset..], (uint)CommandTableBase);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[CommandTableBaseUpperOffset..], (uint)(CommandTableBase >> 32));
    }
}
