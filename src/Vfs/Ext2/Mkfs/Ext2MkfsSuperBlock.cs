using System.Buffers.Binary;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// The superblock a fresh filesystem starts with: the named fields through <see cref="Ext2SuperBlock"/>, then the
/// fields mke2fs also sets that the reader does not model (their offsets in struct ext2_super_block).
/// </summary>
internal static class Ext2MkfsSuperBlock
{
    private const int LogFragmentSizeOffset = 28;     // s_log_frag_size
    private const int FragmentsPerGroupOffset = 36;   // s_frags_per_group
    private const int LastCheckOffset = 64;           // s_lastcheck
    private const int HashSeedOffset = 236;           // s_hash_seed[4]
    private const int DefaultHashVersionOffset = 252; // s_def_hash_version
    private const int DefaultMountOptionsOffset = 256; // s_default_mount_opts
    private const int MkfsTimeOffset = 264;           // s_mkfs_time
    private const int MinExtraInodeSizeOffset = 348;  // s_min_extra_isize
    private const int WantExtraInodeSizeOffset = 350; // s_want_extra_isize
    private const int FlagsOffset = 352;              // s_flags
    private const int OverheadClustersOffset = 584;   // s_overhead_clusters

    private const ushort ErrorsContinue = 1;          // EXT2_ERRORS_CONTINUE, mke2fs's default
    private const byte HashHalfMd4 = 1;               // EXT2_HASH_HALF_MD4, mke2fs.conf's hash_alg default
    private const uint MountOptionsXattrAcl = 0x0004 | 0x0008; // EXT2_DEFM_XATTR_USER | EXT2_DEFM_ACL ("acl,user_xattr")
    private const uint SignedDirectoryHash = 0x0001;  // EXT2_FLAGS_SIGNED_HASH: char is signed on x86

    /// <summary>sizeof(struct ext2_inode_large) - 128: the extra inode bytes in use (i_extra_isize) on large inodes.</summary>
    public const ushort ExtraInodeSize = 32;

    /// <summary>Writes the superblock copy kept in <paramref name="group"/> (s_block_group_nr) into 1024 bytes.</summary>
    public static void Write(Ext2Layout layout, uint now, int group, Span<byte> destination)
    {
        var sb = new Ext2SuperBlock
        {
            InodesCount = (uint)layout.InodesCount,
            BlocksCount = (uint)layout.BlocksCount,
            ReservedBlocksCount = (uint)layout.ReservedBlocksCount,
            FreeBlocksCount = (uint)layout.FreeBlocksCount,
            FreeInodesCount = (uint)layout.FreeInodesCount,
            FirstDataBlock = (uint)layout.FirstDataBlock,
            LogBlockSize = (uint)LogBlockSize(layout.BlockSize),
            BlocksPerGroup = (uint)layout.BlocksPerGroup,
            InodesPerGroup = (uint)layout.InodesPerGroup,
            MountTime = 0,
            WriteTime = now,
            MountCount = 0,
            MaxMountCount = -1,
            Magic = Ext2SuperBlock.MagicValue,
            // ext2fs_flush writes the backups with the valid bit cleared and only the primary as clean.
            State = group == 0 ? Ext2SuperBlock.StateValid : (ushort)0,
            Errors = ErrorsContinue,
            Revision = (uint)layout.Revision,
            // mke2fs fills these on revision 0 too, with the values revision 0 implies.
            FirstInodeField = Ext2MkfsPlanner.FirstInode,
            InodeSizeField = (ushort)layout.InodeSize,
            BlockGroupNumber = (ushort)group,
            FeatureCompat = layout.FeatureCompat,
            FeatureIncompat = layout.FeatureIncompat,
            FeatureRoCompat = layout.FeatureRoCompat,
            Uuid = layout.Uuid,
            VolumeName = layout.Label,
            ReservedGdtBlocks = (ushort)layout.ReservedGdtBlocks,
        };
        sb.Write(destination);
        W32(destination, LogFragmentSizeOffset, sb.LogBlockSize);
        W32(destination, FragmentsPerGroupOffset, (uint)layout.BlocksPerGroup);
        W32(destination, LastCheckOffset, now);
        layout.HashSeed.TryWriteBytes(destination.Slice(HashSeedOffset, 16), bigEndian: true, out _);
        destination[DefaultHashVersionOffset] = HashHalfMd4;
        W32(destination, DefaultMountOptionsOffset, layout.Revision == 0 ? 0 : MountOptionsXattrAcl);
        W32(destination, MkfsTimeOffset, now);
        if (layout.InodeSize > Ext2Inode.Size)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[MinExtraInodeSizeOffset..], ExtraInodeSize);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[WantExtraInodeSizeOffset..], ExtraInodeSize);
        }
        W32(destination, FlagsOffset, SignedDirectoryHash);
        W32(destination, OverheadClustersOffset, (uint)layout.OverheadBlocks);
    }

    public static int LogBlockSize(int blockSize) => System.Numerics.BitOperations.Log2((uint)blockSize) - 10;

    private static void W32(Span<byte> s, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(s[offset..], value);
}
