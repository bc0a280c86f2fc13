using System.Buffers.Binary;

namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// The GPT header (UEFI 2.x, 92 bytes defined; the rest of its sector is reserved and zero). The primary sits
/// at LBA 1, the backup normally at the last LBA. GUIDs use the mixed-endian encoding .NET's
/// <see cref="Guid(ReadOnlySpan{byte})"/> reads: the first three fields little-endian, the last 8 bytes as is.
/// </summary>
public readonly record struct GptHeader(
    ulong Signature,
    uint Revision,
    uint HeaderSize,
    uint HeaderCrc32,
    ulong MyLba,
    ulong AlternateLba,
    ulong FirstUsableLba,
    ulong LastUsableLba,
    Guid DiskGuid,
    ulong PartitionEntriesLba,
    uint NumberOfPartitionEntries,
    uint SizeOfPartitionEntry,
    uint PartitionEntriesCrc32)
{
    public const int Size = 92;
    public const int SignatureOffset = 0;
    public const int RevisionOffset = 8;
    public const int HeaderSizeOffset = 12;
    public const int HeaderCrc32Offset = 16;
    public const int ReservedOffset = 20;
    public const int MyLbaOffset = 24;
    public const int AlternateLbaOffset = 32;
    public const int FirstUsableLbaOffset = 40;
    public const int LastUsableLbaOffset = 48;
    public const int DiskGuidOffset = 56;
    public const int PartitionEntriesLbaOffset = 72;
    public const int NumberOfPartitionEntriesOffset = 80;
    public const int SizeOfPartitionEntryOffset = 84;
    public const int PartitionEntriesCrc32Offset = 88;

    /// <summary>"EFI PART" read as a little-endian 64-bit value.</summary>
    public const ulong ExpectedSignature = 0x5452415020494645;
    /// <summary>Revision 1.0, what every current tool writes.</summary>
    public const uint Revision1_0 = 0x00010000;

    public bool HasExpectedSignature => Signature == ExpectedSignature;

    public static GptHeader Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        return new GptHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(source[SignatureOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[RevisionOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderSizeOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderCrc32Offset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[MyLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[AlternateLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[FirstUsableLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[LastUsableLbaOffset..]),
            new Guid(source.Slice(DiskGuidOffset, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(source[PartitionEntriesLbaOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[NumberOfPartitionEntriesOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[SizeOfPartitionEntryOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[PartitionEntriesCrc32Offset..]));
    }

    /// <summary>Writes the 92 defined bytes (reserved offset 20 as zero) with the stored CRC as is.</summary>
    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        BinaryPrimitives.WriteUInt64LittleEndian(destination[SignatureOffset..], Signature);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[RevisionOffset..], Revision);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[HeaderSizeOffset..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[HeaderCrc32Offset..], HeaderCrc32);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ReservedOffset..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[MyLbaOffset..], MyLba);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[AlternateLbaOffset..], AlternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[FirstUsableLbaOffset..], FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[LastUsableLbaOffset..], LastUsableLba);
        DiskGuid.TryWriteBytes(destination.Slice(DiskGuidOffset, 16));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[PartitionEntriesLbaOffset..], PartitionEntriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[NumberOfPartitionEntriesOffset..], NumberOfPartitionEntries);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SizeOfPartitionEntryOffset..], SizeOfPartitionEntry);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[PartitionEntriesCrc32Offset..], PartitionEntriesCrc32);
    }

    /// <summary>
    /// The header CRC as UEFI defines it: CRC-32 over <paramref name="headerBytes"/> (HeaderSize bytes) with
    /// the CRC field taken as zero, so the stored value never feeds into its own checksum.
    /// </summary>
    public static uint ComputeHeaderCrc32(ReadOnlySpan<byte> headerBytes)
    {
        if (headerBytes.Length < Size)
            throw new ArgumentException($"a GPT header is at least {Size} bytes, not {headerBytes.Length}", nameof(headerBytes));
        ReadOnlySpan<byte> zeroField = [0, 0, 0, 0];
        uint crc = Crc32.Compute(headerBytes[..HeaderCrc32Offset]);
        crc = Crc32.Append(crc, zeroField);
        return Crc32.Append(crc, headerBytes[(HeaderCrc32Offset + sizeof(uint))..]);
    }

    /// <summary>Writes the header and then its CRC over <see cref="HeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteWithComputedCrc(Span<byte> destination)
    {
        if (HeaderSize < Size || HeaderSize > destination.Length)
            throw new ArgumentException($"header size {HeaderSize} must lie in {Size}..{destination.Length}", nameof(destination));
        Write(destination);
        uint crc = ComputeHeaderCrc32(destination[..(int)HeaderSize]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[HeaderCrc32Offset..], crc);
    }
}
