using System.Buffers.Binary;

namespace Hardware.BlockLayer.Partitions;

/// <summary>One 16-byte entry of an MBR or EBR partition table. LBA fields count logical sectors.</summary>
public readonly record struct MbrPartitionEntry(
    byte BootIndicator, ChsAddress StartChs, byte Type, ChsAddress EndChs, uint StartLba, uint SectorCount)
{
    public const int Size = 16;
    public const int BootIndicatorOffset = 0;
    public const int StartChsOffset = 1;
    public const int TypeOffset = 4;
    public const int EndChsOffset = 5;
    public const int StartLbaOffset = 8;
    public const int SectorCountOffset = 12;

    /// <summary>The boot indicator of an active (bootable) partition; 0 marks an inactive one.</summary>
    public const byte ActiveFlag = 0x80;

    /// <summary>Linux skips entries with no sectors whatever their type.</summary>
    public bool IsEmpty => SectorCount == 0;
    public bool IsBootable => BootIndicator == ActiveFlag;
    public bool IsExtended => MbrPartitionType.IsExtended(Type);

    public static MbrPartitionEntry Read(ReadOnlySpan<byte> source)
    {
        source = source[..Size];
        return new MbrPartitionEntry(
            source[BootIndicatorOffset],
            ChsAddress.Read(source[StartChsOffset..]),
            source[TypeOffset],
            ChsAddress.Read(source[EndChsOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[StartLbaOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[SectorCountOffset..]));
    }

    public void Write(Span<byte> destination)
    {
        destination = destination[..Size];
        destination[BootIndicatorOffset] = BootIndicator;
        StartChs.Write(destination[StartChsOffset..]);
        destination[TypeOffset] = Type;
        EndChs.Write(destination[EndChsOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[StartLbaOffset..], StartLba);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SectorCountOffset..], SectorCount);
    }
}
