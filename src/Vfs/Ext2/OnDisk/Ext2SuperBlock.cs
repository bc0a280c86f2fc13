using System.Buffers.Binary;
using System.Text;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// struct ext2_super_block: 1024 bytes at byte 1024 of the volume (and, with sparse_super, at the start of groups
/// 0, 1 and powers of 3, 5, 7). Fields past those named here are carried opaquely so a rewrite preserves them.
/// </summary>
public sealed class Ext2SuperBlock
{
    public const int Size = 1024;
    public const long ByteOffset = 1024;
    public const ushort MagicValue = 0xEF53;
    public const ushort StateValid = 1;
    public const ushort StateErrors = 2;
    public const uint GoodOldRevision = 0;
    public const uint DynamicRevision = 1;
    public const uint GoodOldFirstInode = 11;
    public const ushort GoodOldInodeSize = 128;

    public const int InodesCountOffset = 0;
    public const int BlocksCountOffset = 4;
    public const int ReservedBlocksCountOffset = 8;
    public const int FreeBlocksCountOffset = 12;
    public const int FreeInodesCountOffset = 16;
    public const int FirstDataBlockOffset = 20;
    public const int LogBlockSizeOffset = 24;
    public const int LogFragmentSizeOffset = 28;
    public const int BlocksPerGroupOffset = 32;
    public const int FragmentsPerGroupOffset = 36;
    public const int InodesPerGroupOffset = 40;
    public const int MountTimeOffset = 44;
    public const int WriteTimeOffset = 48;
    public const int MountCountOffset = 52;
    public const int MaxMountCountOffset = 54;
    public const int MagicOffset = 56;
    public const int StateOffset = 58;
    public const int ErrorsOffset = 60;
    public const int MinorRevisionOffset = 62;
    public const int LastCheckOffset = 64;
    public const int CheckIntervalOffset = 68;
    public const int CreatorOsOffset = 72;
    public const int RevisionOffset = 76;
    public const int DefaultReservedUidOffset = 80;
    public const int DefaultReservedGidOffset = 82;
    public const int FirstInodeOffset = 84;
    public const int InodeSizeOffset = 88;
    public const int BlockGroupNumberOffset = 90;
    public const int FeatureCompatOffset = 92;
    public const int FeatureIncompatOffset = 96;
    public const int FeatureRoCompatOffset = 100;
    public const int UuidOffset = 104;
    public const int VolumeNameOffset = 120;
    public const int LastMountedOffset = 136;
    public const int ReservedGdtBlocksOffset = 206;

    private readonly byte[] _raw = new byte[Size];

    public uint InodesCount { get; set; }
    public uint BlocksCount { get; set; }
    public uint ReservedBlocksCount { get; set; }
    public uint FreeBlocksCount { get; set; }
    public uint FreeInodesCount { get; set; }
    public uint FirstDataBlock { get; set; }
    public uint LogBlockSize { get; set; }
    public uint BlocksPerGroup { get; set; }
    public uint InodesPerGroup { get; set; }
    public uint MountTime { get; set; }
    public uint WriteTime { get; set; }
    public ushort MountCount { get; set; }
    public short MaxMountCount { get; set; }
    public ushort Magic { get; set; }
    public ushort State { get; set; }
    public ushort Errors { get; set; }
    public uint Revision { get; set; }
    public uint FirstInodeField { get; set; }
    public ushort InodeSizeField { get; set; }
    public ushort BlockGroupNumber { get; set; }
    public Ext2CompatFeatures FeatureCompat { get; set; }
    public Ext2IncompatFeatures FeatureIncompat { get; set; }
    public Ext2RoCompatFeatures FeatureRoCompat { get; set; }
    public Guid Uuid { get; set; }
    public string VolumeName { get; set; } = "";
    public ushort ReservedGdtBlocks { get; set; }

    /// <summary>1024 &lt;&lt; s_log_block_size (only meaningful after validation bounded the shift).</summary>
    public int BlockSize => LogBlockSize <= 6 ? 1024 << (int)LogBlockSize : 0;

    /// <summary>The first non-reserved inode (11 on revision 0).</summary>
    public uint FirstInode => Revision == GoodOldRevision ? GoodOldFirstInode : FirstInodeField;

    /// <summary>The on-disk inode record size (128 on revision 0).</summary>
    public int InodeSize => Revision == GoodOldRevision ? GoodOldInodeSize : InodeSizeField;

    public long GroupCount => BlocksPerGroup == 0 ? 0 : (BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup;

    public static Ext2SuperBlock Read(ReadOnlySpan<byte> source)
    {
        var sb = new Ext2SuperBlock();
        source[..Size].CopyTo(sb._raw);
        sb.InodesCount = U32(source, InodesCountOffset);
        sb.BlocksCount = U32(source, BlocksCountOffset);
        sb.ReservedBlocksCount = U32(source, ReservedBlocksCountOffset);
        sb.FreeBlocksCount = U32(source, FreeBlocksCountOffset);
        sb.FreeInodesCount = U32(source, FreeInodesCountOffset);
        sb.FirstDataBlock = U32(source, FirstDataBlockOffset);
        sb.LogBlockSize = U32(source, LogBlockSizeOffset);
        sb.BlocksPerGroup = U32(source, BlocksPerGroupOffset);
        sb.InodesPerGroup = U32(source, InodesPerGroupOffset);
        sb.MountTime = U32(source, MountTimeOffset);
        sb.WriteTime = U32(source, WriteTimeOffset);
        sb.MountCount = BinaryPrimitives.ReadUInt16LittleEndian(source[MountCountOffset..]);
        sb.MaxMountCount = BinaryPrimitives.ReadInt16LittleEndian(source[MaxMountCountOffset..]);
        sb.Magic = BinaryPrimitives.ReadUInt16LittleEndian(source[MagicOffset..]);
        sb.State = BinaryPrimitives.ReadUInt16LittleEndian(source[StateOffset..]);
        sb.Errors = BinaryPrimitives.ReadUInt16LittleEndian(source[ErrorsOffset..]);
        sb.Revision = U32(source, RevisionOffset);
        sb.FirstInodeField = U32(source, FirstInodeOffset);
        sb.InodeSizeField = BinaryPrimitives.ReadUInt16LittleEndian(source[InodeSizeOffset..]);
        sb.BlockGroupNumber = BinaryPrimitives.ReadUInt16LittleEndian(source[BlockGroupNumberOffset..]);
        sb.FeatureCompat = (Ext2CompatFeatures)U32(source, FeatureCompatOffset);
        sb.FeatureIncompat = (Ext2IncompatFeatures)U32(source, FeatureIncompatOffset);
        sb.FeatureRoCompat = (Ext2RoCompatFeatures)U32(source, FeatureRoCompatOffset);
        sb.Uuid = new Guid(source.Slice(UuidOffset, 16), bigEndian: true);
        ReadOnlySpan<byte> name = source.Slice(VolumeNameOffset, 16);
        int end = name.IndexOf((byte)0);
        sb.VolumeName = Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
        sb.ReservedGdtBlocks = BinaryPrimitives.ReadUInt16LittleEndian(source[ReservedGdtBlocksOffset..]);
        return sb;
    }

    /// <summary>Writes the named fields over the bytes this record was read from (unknown fields kept).</summary>
    public void Write(Span<byte> destination)
    {
        _raw.CopyTo(destination);
        W32(destination, InodesCountOffset, InodesCount);
        W32(destination, BlocksCountOffset, BlocksCount);
        W32(destination, ReservedBlocksCountOffset, ReservedBlocksCount);
        W32(destination, FreeBlocksCountOffset, FreeBlocksCount);
        W32(destination, FreeInodesCountOffset, FreeInodesCount);
        W32(destination, FirstDataBlockOffset, FirstDataBlock);
        W32(destination, LogBlockSizeOffset, LogBlockSize);
        W32(destination, BlocksPerGroupOffset, BlocksPerGroup);
        W32(destination, InodesPerGroupOffset, InodesPerGroup);
        W32(destination, MountTimeOffset, MountTime);
        W32(destination, WriteTimeOffset, WriteTime);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[MountCountOffset..], MountCount);
        BinaryPrimitives.WriteInt16LittleEndian(destination[MaxMountCountOffset..], MaxMountCount);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[StateOffset..], State);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[ErrorsOffset..], Errors);
        W32(destination, RevisionOffset, Revision);
        W32(destination, FirstInodeOffset, FirstInodeField);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[InodeSizeOffset..], InodeSizeField);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[BlockGroupNumberOffset..], BlockGroupNumber);
        W32(destination, FeatureCompatOffset, (uint)FeatureCompat);
        W32(destination, FeatureIncompatOffset, (uint)FeatureIncompat);
        W32(destination, FeatureRoCompatOffset, (uint)FeatureRoCompat);
        Uuid.TryWriteBytes(destination.Slice(UuidOffset, 16), bigEndian: true, out _);
        Span<byte> name = destination.Slice(VolumeNameOffset, 16);
        name.Clear();
        Encoding.UTF8.GetBytes(VolumeName.AsSpan(), name);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[ReservedGdtBlocksOffset..], ReservedGdtBlocks);
    }

    private static uint U32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(s[offset..]);

    private static void W32(Span<byte> s, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(s[offset..], value);
}
