using System.Text;
using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// The geometry of a new filesystem, chosen the way mke2fs (1.47) does for `-t ext2` with Debian's mke2fs.conf:
/// the size type picks block size and inode ratio, ext2fs_initialize fits inodes per group to whole inode-table
/// blocks and drops a last group too small for its own metadata, resize_inode reserves descriptor blocks for 1024x
/// growth, and the bitmaps and inode table follow each group's superblock copy.
/// </summary>
internal static class Ext2MkfsPlanner
{
    public const int MaxLabelBytes = 16;
    public const int FirstInode = 11;

    private const int PageBytes = 4096;
    private const int MinInodeRatio = 1024;
    private const int MaxInodeRatio = 4096 * 1024;
    private const long MaxBlocks = uint.MaxValue;

    public static VfsResult<Ext2Layout> Plan(long deviceBytes, Ext2MkfsOptions options)
    {
        if (Validate(deviceBytes, options) is { } invalid)
            return invalid;
        // mke2fs sizes the filesystem in whole pages of the device (fs_blocks_count &= ~(page/block - 1)).
        long pages = deviceBytes / PageBytes;
        string sizeType = SizeType(pages * PageBytes);
        int blockSize = options.BlockSize != 0 ? options.BlockSize : sizeType is "floppy" or "small" ? 1024 : 4096;
        long blocks = pages * (PageBytes / blockSize);
        if (blocks == 0)
            return Fail(Errno.EINVAL, $"device size {deviceBytes}: too small for an ext2 filesystem");
        if (blocks > MaxBlocks)
            return Fail(Errno.EFBIG, $"device size {deviceBytes}: {blocks} blocks of {blockSize} bytes do not fit ext2's 32-bit block numbers");
        int inodeRatio = options.InodeRatio;
        if (inodeRatio == 0)
            inodeRatio = Math.Max(ProfileInodeRatio(sizeType), blockSize);
        int inodeSize = options.Revision == 0 ? Ext2SuperBlock.GoodOldInodeSize : options.InodeSize != 0 ? options.InodeSize : 256;
        if (inodeSize > blockSize)
            return Fail(Errno.EINVAL, $"inode size {inodeSize}: larger than the {blockSize}-byte block");
        long inodesWanted = options.InodeCount != 0 ? options.InodeCount : blocks * blockSize / inodeRatio;
        if (inodesWanted > uint.MaxValue)
            return Fail(Errno.EINVAL, $"inode count {inodesWanted}: more than 2^32-1 inodes; raise the inode ratio");
        // mke2fs checks the wanted inodes against the whole device before laying anything out.
        long checkedInodeSize = options.InodeSize != 0 ? options.InodeSize : 256;
        if (inodesWanted * checkedInodeSize >= blocks * blockSize)
            return Fail(Errno.EINVAL, $"inode count {inodesWanted}: {inodesWanted} inodes of {checkedInodeSize} bytes do not fit a device of {blocks * blockSize} bytes");
        long reservedWanted = (long)(options.ReservedPercent * blocks / 100.0);
        if (reservedWanted >= blocks)
            return Fail(Errno.EINVAL, $"reserved percent {options.ReservedPercent}: reserves the whole device");

        var geometry = new Geometry(options.Revision, blockSize, inodeSize, blocks, inodesWanted, reservedWanted);
        if (geometry.Fit() is { } unfit)
            return unfit;
        return Lay(geometry, sizeType, inodeRatio, options);
    }

    /// <summary>The options mke2fs would refuse, each named with its value.</summary>
    private static VfsResult<Ext2Layout>? Validate(long deviceBytes, Ext2MkfsOptions o)
    {
        if (deviceBytes < 0)
            return Fail(Errno.EINVAL, $"device size {deviceBytes}: negative");
        if (o.BlockSize is not (0 or 1024 or 2048 or 4096))
            return Fail(Errno.EINVAL, $"block size {o.BlockSize}: must be 1024, 2048 or 4096");
        if (o.Revision is not (0 or 1))
            return Fail(Errno.EINVAL, $"revision {o.Revision}: must be 0 (good old) or 1 (dynamic)");
        if (o.InodeSize is not (0 or 128 or 256))
            return Fail(Errno.EINVAL, $"inode size {o.InodeSize}: must be 128 or 256");
        if (o.Revision == 0 && o.InodeSize == 256)
            return Fail(Errno.EINVAL, $"inode size {o.InodeSize}: revision 0 has 128-byte inodes only");
        if (o.InodeRatio != 0 && o.InodeRatio is < MinInodeRatio or > MaxInodeRatio)
            return Fail(Errno.EINVAL, $"inode ratio {o.InodeRatio}: must be {MinInodeRatio} to {MaxInodeRatio} bytes per inode");
        if (o.InodeCount < 0 || o.InodeCount > uint.MaxValue)
            return Fail(Errno.EINVAL, $"inode count {o.InodeCount}: must be 0 (from the ratio) to 2^32-1");
        if (double.IsNaN(o.ReservedPercent) || o.ReservedPercent is < 0 or > 50)
            return Fail(Errno.EINVAL, $"reserved percent {o.ReservedPercent}: must be 0 to 50");
        if (o.Label is null || Encoding.UTF8.GetByteCount(o.Label) > MaxLabelBytes)
            return Fail(Errno.EINVAL, $"label '{o.Label}': longer than {MaxLabelBytes} bytes");
        if (o.TimeSeconds is < 0 or > uint.MaxValue)
            return Fail(Errno.EINVAL, $"time {o.TimeSeconds}: outside ext2's 32-bit seconds");
        return null;
    }

    /// <summary>mke2fs.conf's size types (parse_fs_type): floppy below 3 MiB, small below 512 MiB, big from 4 TiB, huge from 16 TiB.</summary>
    private static string SizeType(long bytes) => bytes switch
    {
        < 3L << 20 => "floppy",
        < 512L << 20 => "small",
        < 4L << 40 => "default",
        < 16L << 40 => "big",
        _ => "huge",
    };

    /// <summary>inode_ratio of Debian's /etc/mke2fs.conf for each size type.</summary>
    private static int ProfileInodeRatio(string sizeType) => sizeType switch
    {
        "floppy" => 8192,
        "small" => 4096,
        "big" => 32768,
        "huge" => 65536,
        _ => 16384,
    };

    /// <summary>Groups 0 and 1 and the powers of 3, 5 and 7 hold superblock backups under sparse_super; all groups without it.</summary>
    public static bool HasSuperBlock(long group, bool sparse)
    {
        if (group <= 1 || !sparse)
            return true;
        if ((group & 1) == 0)
            return false;
        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    private static bool IsPowerOf(long value, int radix)
    {
        long power = 1;
        while (power < value)
            power *= radix;
        return power == value;
    }

    /// <summary>Blocks of lost+found: mke2fs grows it until it spans 16 KiB and at least two blocks (12 at most).</summary>
    public static int LostAndFoundBlocks(int blockSize)
    {
        int blocks = 1;
        int bytes = 0;
        for (int i = 1; i < Ext2Inode.DirectBlocks; i++)
        {
            bytes += blockSize;
            if (bytes >= 16 * 1024 && bytes >= 2 * blockSize)
                break;
            blocks++;
        }
        return blocks;
    }

    private static VfsResult<Ext2Layout> Lay(Geometry g, string sizeType, int inodeRatio, Ext2MkfsOptions options)
    {
        var random = SimRandom.ForStream(options.Seed, "ext2-mkfs");
        Guid uuid = RandomUuid(random);
        Guid hashSeed = RandomUuid(random);
        bool sparse = g.Revision != 0;
        // The resize inode exists with the feature even when no descriptor blocks are reserved (a tiny filesystem).
        bool resize = g.Revision != 0;
        var groups = new List<Ext2GroupLayout>(g.GroupCount);
        int lostAndFound = LostAndFoundBlocks(g.BlockSize);
        long rootBlock = 0, lostAndFoundBlock = 0, resizeBlock = 0;
        long overhead = g.FirstDataBlock, freeBlocks = 0, freeInodes = 0;
        for (int index = 0; index < g.GroupCount; index++)
        {
            long first = g.FirstDataBlock + (long)index * g.BlocksPerGroup;
            long last = Math.Min(first + g.BlocksPerGroup - 1, g.BlocksCount - 1);
            bool hasSuper = HasSuperBlock(index, sparse);
            int superBlocks = hasSuper ? 1 + g.DescriptorBlocks + g.ReservedGdtBlocks : 0;
            long blockBitmap = first + superBlocks;
            long inodeTable = blockBitmap + 2;
            long metadata = superBlocks + 2 + g.InodeTableBlocks;
            long free = last - first + 1 - metadata;
            int freeInodesHere = g.InodesPerGroup;
            int directories = 0;
            if (index == 0)
            {
                // ext2fs_mkdir allocates from the group's first free block: root, then lost+found, then the
                // resize inode's double-indirect block (its goal is the end of group 0's inode table).
                rootBlock = inodeTable + g.InodeTableBlocks;
                lostAndFoundBlock = rootBlock + 1;
                resizeBlock = resize ? lostAndFoundBlock + lostAndFound : 0;
                long used = 1 + lostAndFound + (resize ? 1 : 0);
                if (rootBlock + used - 1 > last)
                    return Fail(Errno.EINVAL, $"inode count {g.InodesCount}: group 0 has no room left for the root directory and lost+found; lower the inode count");
                free -= used;
                freeInodesHere -= FirstInode;
                directories = 2;
            }
            overhead += metadata;
            freeBlocks += free;
            freeInodes += freeInodesHere;
            groups.Add(new Ext2GroupLayout
            {
                Index = index,
                FirstBlock = first,
                LastBlock = last,
                HasSuperBlock = hasSuper,
                DescriptorBlock = hasSuper ? first + 1 : 0,
                ReservedGdtBlock = hasSuper && g.ReservedGdtBlocks > 0 ? first + 1 + g.DescriptorBlocks : 0,
                BlockBitmap = blockBitmap,
                InodeBitmap = blockBitmap + 1,
                InodeTable = inodeTable,
                FreeBlocks = (int)free,
                FreeInodes = freeInodesHere,
                UsedDirectories = directories,
            });
        }
        return VfsResult<Ext2Layout>.Success(new Ext2Layout
        {
            SizeType = sizeType,
            Revision = g.Revision,
            BlockSize = g.BlockSize,
            BlocksCount = g.BlocksCount,
            FirstDataBlock = g.FirstDataBlock,
            BlocksPerGroup = g.BlocksPerGroup,
            GroupCount = g.GroupCount,
            InodeSize = g.InodeSize,
            InodesPerGroup = g.InodesPerGroup,
            InodeRatio = inodeRatio,
            ReservedGdtBlocks = g.ReservedGdtBlocks,
            ReservedBlocksCount = g.ReservedBlocks,
            FeatureCompat = g.Revision == 0 ? Ext2CompatFeatures.None
                : Ext2CompatFeatures.ExtAttr | Ext2CompatFeatures.ResizeInode | Ext2CompatFeatures.DirIndex,
            FeatureIncompat = g.Revision == 0 ? Ext2IncompatFeatures.None : Ext2IncompatFeatures.FileType,
            FeatureRoCompat = g.Revision == 0 ? Ext2RoCompatFeatures.None
                : Ext2RoCompatFeatures.SparseSuper | Ext2RoCompatFeatures.LargeFile,
            Label = options.Label,
            Uuid = uuid,
            HashSeed = hashSeed,
            RootDirectoryBlock = rootBlock,
            LostAndFoundBlock = lostAndFoundBlock,
            LostAndFoundBlocks = lostAndFound,
            ResizeInodeBlock = resizeBlock,
            Groups = groups,
            OverheadBlocks = overhead,
            FreeBlocksCount = freeBlocks,
            FreeInodesCount = freeInodes,
        });
    }

    /// <summary>16 random bytes with the version (4) and variant (10xx) bits of RFC 4122, as uuid_generate makes them.</summary>
    private static Guid RandomUuid(SimRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, random.NextUInt64());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], random.NextUInt64());
        bytes[6] = (byte)(bytes[6] & 0x0F | 0x40);
        bytes[8] = (byte)(bytes[8] & 0x3F | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static VfsResult<Ext2Layout> Fail(Errno errno, string message) => VfsResult<Ext2Layout>.Fail(errno, message);

    /// <summary>ext2fs_initialize's fitting loop over the superblock parameters.</summary>
    private sealed class Geometry(int revision, int blockSize, int inodeSize, long deviceBlocks, long inodesWanted, long reservedWanted)
    {
        public int Revision { get; } = revision;
        public int BlockSize { get; } = blockSize;
        public int InodeSize { get; } = inodeSize;
        public int FirstDataBlock { get; } = blockSize == 1024 ? 1 : 0;
        private readonly long _deviceBlocks = deviceBlocks;
        private readonly long _inodesWanted = inodesWanted;
        private readonly long _reservedWanted = reservedWanted;

        public long BlocksCount { get; private set; } = deviceBlocks;
        public long ReservedBlocks { get; private set; } = reservedWanted;
        public int BlocksPerGroup { get; private set; } = blockSize * 8;
        public int GroupCount { get; private set; }
        public int DescriptorBlocks { get; private set; }
        public int InodesPerGroup { get; private set; }
        public int InodeTableBlocks { get; private set; }
        public int ReservedGdtBlocks { get; private set; }
        public long InodesCount => (long)InodesPerGroup * GroupCount;

        private int DescriptorsPerBlock => BlockSize / Ext2GroupDescriptor.Size;

        public VfsResult<Ext2Layout>? Fit()
        {
            while (true)
            {
                long groups = (BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup;
                if (groups <= 0)
                    return Fail(Errno.EINVAL, $"device size {_deviceBlocks * BlockSize}: too small for an ext2 filesystem");
                GroupCount = (int)groups;
                DescriptorBlocks = (GroupCount + DescriptorsPerBlock - 1) / DescriptorsPerBlock;
                long inodes = _inodesWanted != 0 ? _inodesWanted : BlocksCount / (BlockSize >= 4096 ? 1 : 4096 / BlockSize);
                inodes = Math.Max(inodes, FirstInode + 1);
                long perGroup = (inodes + GroupCount - 1) / GroupCount;
                if (perGroup > BlockSize * 8)
                {
                    // More inodes than one bitmap block can track: smaller groups, more of them.
                    if (BlocksPerGroup < 256)
                        return Fail(Errno.EINVAL, $"inode count {inodes}: too many inodes for a device of {_deviceBlocks * BlockSize} bytes");
                    BlocksPerGroup -= 8;
                    BlocksCount = _deviceBlocks;
                    ReservedBlocks = _reservedWanted;
                    continue;
                }
                int inodesPerBlock = BlockSize / InodeSize;
                perGroup = Math.Min(perGroup, 65536 - inodesPerBlock);
                FitInodesPerGroup(perGroup);
                ReservedGdtBlocks = Revision == 0 ? 0 : ReservedGdtFor();
                if (ReservedGdtBlocks + DescriptorBlocks > BlocksPerGroup * 3 / 4)
                    return Fail(Errno.EFBIG, $"block size {BlockSize}: {GroupCount} groups need meta_bg, which ext2 here does not make; use a larger block size");
                if (3 + InodeTableBlocks + DescriptorBlocks + ReservedGdtBlocks > BlocksPerGroup)
                    return Fail(Errno.EINVAL, $"inode count {inodes}: the inode tables do not fit the block groups; lower the inode count or raise the ratio");
                int lastOverhead = 2 + InodeTableBlocks;
                if (HasSuperBlock(GroupCount - 1, Revision != 0))
                    lastOverhead += 1 + DescriptorBlocks + ReservedGdtBlocks;
                long rem = (BlocksCount - FirstDataBlock) % BlocksPerGroup;
                if (GroupCount == 1 && rem != 0 && rem < lastOverhead)
                    return Fail(Errno.EINVAL, $"device size {_deviceBlocks * BlockSize}: too small for the filesystem's metadata ({lastOverhead} blocks of {BlockSize} bytes)");
                if (rem != 0 && rem < lastOverhead + 50)
                {
                    // The last group could not hold its metadata and some data: drop it, keeping the reserved ratio.
                    double ratio = 100.0 * _reservedWanted / _deviceBlocks;
                    BlocksCount -= rem;
                    ReservedBlocks = (long)(ratio * BlocksCount / 100.0);
                    continue;
                }
                return null;
            }
        }

        /// <summary>Inodes per group that fill whole inode-table blocks, a multiple of 8, below 2^32 in total.</summary>
        private void FitInodesPerGroup(long wanted)
        {
            while (true)
            {
                long tableBlocks = (wanted * InodeSize + BlockSize - 1) / BlockSize;
                long perGroup = tableBlocks * BlockSize / InodeSize;
                perGroup = Math.Max(perGroup, 8) & ~7L;
                if (perGroup * GroupCount > uint.MaxValue)
                {
                    wanted--;
                    continue;
                }
                InodesPerGroup = (int)perGroup;
                InodeTableBlocks = (int)((perGroup * InodeSize + BlockSize - 1) / BlockSize);
                return;
            }
        }

        /// <summary>calc_reserved_gdt_blocks: descriptor blocks for 1024x the size (at most 2^32 blocks), capped at one indirect block.</summary>
        private int ReservedGdtFor()
        {
            long maxBlocks = BlocksCount < MaxBlocks / 1024 ? BlocksCount * 1024 : MaxBlocks;
            long groups = (maxBlocks - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup;
            long reserved = (groups + DescriptorsPerBlock - 1) / DescriptorsPerBlock - DescriptorBlocks;
            return (int)Math.Min(reserved, BlockSize / 4);
        }
    }
}
