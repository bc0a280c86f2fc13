using System.Buffers.Binary;

namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// The 512-byte master boot record (and the same layout as an extended boot record): 446 bytes of bootstrap
/// area (whose last 6 bytes hold the optional disk signature), four partition entries at 0x1BE and the boot
/// signature 0x55 0xAA at 0x1FE. Write leaves the bootstrap code untouched.
/// </summary>
public sealed class MasterBootRecord
{
    public const int Size = 512;
    public const int BootstrapAreaSize = 446;
    public const int DiskSignatureOffset = 0x1B8;
    public const int PartitionTableOffset = 0x1BE;
    public const int EntryCount = 4;
    public const int BootSignatureOffset = 0x1FE;
    /// <summary>Bytes 0x55, 0xAA read as a little-endian 16-bit value.</summary>
    public const ushort BootSignature = 0xAA55;

    private readonly MbrPartitionEntry[] _entries;

    public MasterBootRecord(uint diskSignature, IReadOnlyList<MbrPartitionEntry> entries, ushort bootSignature = BootSignature)
    {
        if (entries.Count != EntryCount)
            throw new ArgumentException($"an MBR holds exactly {EntryCount} entries, not {entries.Count}", nameof(entries));
        DiskSignature = diskSignature;
        _entries = [.. entries];
        StoredBootSignature = bootSignature;
    }

    public uint DiskSignature { get; }
    public IReadOnlyList<MbrPartitionEntry> Entries => _entries;
    public ushort StoredBootSignature { get; }
    public bool HasBootSignature => StoredBootSignature == BootSignature;

    public static int EntryOffset(int index) => PartitionTableOffset + index * MbrPartitionEntry.Size;

    public static MasterBootRecord Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        var entries = new MbrPartitionEntry[EntryCount];
        for (int i = 0; i < EntryCount; i++)
            entries[i] = MbrPartitionEntry.Read(source[EntryOffset(i)..]);
        return new MasterBootRecord(
            BinaryPrimitives.ReadUInt32LittleEndian(source[DiskSignatureOffset..]),
            entries,
            BinaryPrimitives.ReadUInt16LittleEndian(source[BootSignatureOffset..]));
    }

    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        BinaryPrimitives.WriteUInt32LittleEndian(destination[DiskSignatureOffset..], DiskSignature);
        for (int i = 0; i < EntryCount; i++)
            _entries[i].Write(destination[EntryOffset(i)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[BootSignatureOffset..], StoredBootSignature);
    }
}
