using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Check;

/// <summary>
/// What the passes share: the validated superblock and group descriptors, the block reader, the maps pass 1 builds
/// (blocks claimed, inodes in use, directories and their blocks) and the problems found so far.
/// </summary>
internal sealed class CheckState
{
    /// <summary>Problems beyond this many are counted, not listed.</summary>
    private const int MaxListedProblems = 500;

    private readonly List<string> _problems = [];
    private readonly List<string> _notes = [];
    private long _unlisted;

    public CheckState(BufferCache buffers, Ext2SuperBlock super, Ext2GroupDescriptor[] groups)
    {
        Buffers = buffers;
        Super = super;
        Groups = groups;
        BlockSize = super.BlockSize;
        PointersPerBlock = BlockSize / 4;
        BlocksCount = super.BlocksCount;
        InodesCount = super.InodesCount;
        ClaimedBlocks = new CheckBitSet(BlocksCount);
        MetadataBlocks = new CheckBitSet(BlocksCount);
        Inodes = new CheckInode[InodesCount + 1];
        BlockOwners = new uint[BlocksCount];
        // Far more claims than the volume has blocks means garbage pointers: the walk stops there (already unclean).
        ClaimBudget = 4L * BlocksCount + 4096;
    }

    public BufferCache Buffers { get; }

    public Ext2SuperBlock Super { get; }

    public Ext2GroupDescriptor[] Groups { get; }

    public int BlockSize { get; }

    public int PointersPerBlock { get; }

    public uint BlocksCount { get; }

    public uint InodesCount { get; }

    public uint FirstDataBlock => Super.FirstDataBlock;

    public uint BlocksPerGroup => Super.BlocksPerGroup;

    public uint InodesPerGroup => Super.InodesPerGroup;

    public uint FirstInode => Super.FirstInode;

    public bool HasFileType => (Super.FeatureIncompat & Ext2IncompatFeatures.FileType) != 0;

    /// <summary>Blocks claimed by files or by the filesystem's own metadata (e2fsck's block_found_map).</summary>
    public CheckBitSet ClaimedBlocks { get; }

    /// <summary>Superblocks, descriptor tables, bitmaps and inode tables (e2fsck's block_metadata_map).</summary>
    public CheckBitSet MetadataBlocks { get; }

    /// <summary>The inode that claimed each block first (0: the filesystem's own metadata, or unclaimed).</summary>
    public uint[] BlockOwners { get; }

    /// <summary>Per inode number (index 0 unused): what pass 1 read and passes 2 to 4 counted.</summary>
    public CheckInode[] Inodes { get; }

    /// <summary>Every directory block in the order pass 1 found them: (directory, file block, disk block or 0 for a hole).</summary>
    public List<(uint Directory, long FileBlock, uint Block)> DirectoryBlocks { get; } = [];

    /// <summary>Block claims left before the walk gives up on garbage pointers.</summary>
    public long ClaimBudget { get; set; }

    /// <summary>Files and directories whose blocks are not contiguous (e2fsck's fs_fragmented + fs_fragmented_dir).</summary>
    public long Fragmented { get; set; }

    /// <summary>Users of each extended-attribute block (i_file_acl), to compare with h_refcount.</summary>
    public Dictionary<uint, uint> AttributeBlockUsers { get; } = [];

    /// <summary>h_refcount of each extended-attribute block read.</summary>
    public Dictionary<uint, uint> AttributeBlockRefCounts { get; } = [];

    public string DeviceName => Buffers.Device.Name;

    public IReadOnlyList<string> Problems => _unlisted == 0 ? _problems : [.. _problems, $"... and {_unlisted} more problems"];

    public IReadOnlyList<string> Notes => _notes;

    public int ProblemCount => _problems.Count + (int)Math.Min(_unlisted, int.MaxValue);

    public void Problem(string message)
    {
        if (_problems.Count < MaxListedProblems)
            _problems.Add(message);
        else
            _unlisted++;
    }

    public void Note(string message) => _notes.Add(message);

    public bool IsLegalBlock(uint block) => block >= FirstDataBlock && block < BlocksCount;

    public uint GroupOfBlock(uint block) => (block - FirstDataBlock) / BlocksPerGroup;

    /// <summary>The first block of group <paramref name="group"/>.</summary>
    public long GroupStart(long group) => FirstDataBlock + group * BlocksPerGroup;

    /// <summary>Blocks in group <paramref name="group"/> (the last group may be short).</summary>
    public long BlocksInGroup(long group) => Math.Min(BlocksPerGroup, BlocksCount - GroupStart(group));

    /// <summary>Reads a block of the volume; a failed or out-of-range read is recorded as a problem.</summary>
    public async ValueTask<BufferLease> ReadAsync(long block, string what)
    {
        if (block < 0 || block >= BlocksCount)
        {
            Problem($"{what}: block {block} lies outside the volume (0..{BlocksCount - 1})");
            return default;
        }
        BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            Problem($"{what}: reading block {block} failed ({lease.Status})");
        return lease;
    }

    /// <summary>True when group <paramref name="group"/> holds a superblock copy (all groups without sparse_super).</summary>
    public bool HasSuperBlockCopy(long group)
    {
        if (group <= 1 || (Super.FeatureRoCompat & Ext2RoCompatFeatures.SparseSuper) == 0)
            return true;
        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    /// <summary>Blocks of the group descriptor table.</summary>
    public long DescriptorBlocks => (Groups.Length + BlockSize / Ext2GroupDescriptor.Size - 1) / (BlockSize / Ext2GroupDescriptor.Size);

    /// <summary>s_reserved_gdt_blocks when resize_inode is on, else none.</summary>
    public long ReservedDescriptorBlocks => (Super.FeatureCompat & Ext2CompatFeatures.ResizeInode) != 0 ? Super.ReservedGdtBlocks : 0;

    public long InodeTableBlocks => ((long)InodesPerGroup * Super.InodeSize + BlockSize - 1) / BlockSize;

    private static bool IsPowerOf(long value, long radix)
    {
        while (value > 1 && value % radix == 0)
            value /= radix;
        return value == 1;
    }
}

/// <summary>One inode as the check sees it.</summary>
internal struct CheckInode
{
    public ushort Mode;
    /// <summary>i_links_count on disk.</summary>
    public ushort Links;
    /// <summary>In use: a reserved inode, or i_links_count above zero.</summary>
    public bool Used;
    /// <summary>References found in directories (with '.' and the children's '..' for a directory).</summary>
    public int Counted;
    /// <summary>For a directory: the directory whose entry names it (0 while none has).</summary>
    public uint Parent;
    /// <summary>For a directory: what its '..' names (0 when missing).</summary>
    public uint DotDot;

    public readonly InodeType Type => (InodeType)(Mode & ModeBits.TypeMask);

    public readonly bool IsDirectory => Used && Type == InodeType.Directory;
}
