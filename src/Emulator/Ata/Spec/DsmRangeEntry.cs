using System.Buffers.Binary;

namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// One LBA Range Entry of DATA SET MANAGEMENT (ACS-3 7.5.3.3, 8 bytes): LBA 47:0 in bytes 0-5 and the range length in
/// logical sectors in bytes 6-7. A length of zero means the entry is unused.
/// </summary>
public struct DsmRangeEntry
{
    public const int Size = 8;

    /// <summary>Entries in one 512-byte block of the DSM data-out payload.</summary>
    public const int EntriesPerBlock = 512 / Size;

    public ulong Lba;
    public ushort Length;

    public static DsmRangeEntry Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
            throw new ArgumentException($"an LBA range entry is {Size} bytes", nameof(source));
        ulong raw = BinaryPrimitives.ReadUInt64LittleEndian(source);
        return new DsmRangeEntry { Lba = raw & 0xFFFF_FFFF_FFFFUL, Length = (ushort)(raw >> 48) };
    }

    public readonly void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"an LBA range entry is {Size} bytes", nameof(destination));
        if (Lba > 0xFFFF_FFFF_FFFFUL)
            throw new InvalidOperationException($"LBA {Lba} does not fit in 48 bits");
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Lba | (ulong)Length << 48);
    }
}
