using System.Buffers.Binary;

namespace Hardware.Emulator.Ahci.Spec;

/// <summary>
/// A physical region descriptor (AHCI 1.3.1, 4.2.3.3), 16 bytes: DW0-1 the data base address (word aligned),
/// DW2 reserved, DW3 the byte count minus one in bits 21:0 (up to 4 MiB, even) and the interrupt bit 31.
/// </summary>
public struct PrdEntry
{
    public const int Size = 16;
    public const int MaxByteCount = 4 << 20;

    public const int DataBaseOffset = 0;
    public const int DataBaseUpperOffset = 4;
    public const int ByteCountOffset = 12;

    private const uint ByteCountMask = 0x003F_FFFF;
    private const uint InterruptBit = 1u << 31;

    /// <summary>DBA/DBAU: physical address of the data region.</summary>
    public ulong DataBase;
    /// <summary>Length of the region in bytes, 1 to 4 MiB (stored in DBC as length minus one).</summary>
    public int ByteCount;
    /// <summary>I: raise PxIS.DPS once this region has been transferred.</summary>
    public bool InterruptOnCompletion;

    public static PrdEntry Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"a PRD entry is {Size} bytes", nameof(source));
        uint dw3 = BinaryPrimitives.ReadUInt32LittleEndian(source[ByteCountOffset..]);
        return new PrdEntry
        {
            DataBase = BinaryPrimitives.ReadUInt32LittleEndian(source[DataBaseOffset..])
                | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(source[DataBaseUpperOffset..]) << 32,
            ByteCount = (int)(dw3 & ByteCountMask) + 1,
            InterruptOnCompletion = (dw3 & InterruptBit) != 0,
        };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a PRD entry is {Size} bytes", nameof(destination));
        if (ByteCount is < 1 or > MaxByteCount)
            throw new InvalidOperationException($"a PRD entry covers 1 byte to 4 MiB, not {ByteCount}");
        BinaryPrimitives.WriteUInt32LittleEndian(destination[DataBaseOffset..], (uint)DataBase);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[DataBaseUpperOffset..], (uint)(DataBase >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ByteCountOffset..],
            ((uint)(ByteCount - 1) & ByteCountMask) | (InterruptOnCompletion ? InterruptBit : 0));
    }
}
