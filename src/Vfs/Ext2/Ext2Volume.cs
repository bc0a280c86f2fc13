using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// One mounted ext2 volume (s_fs_info): the superblock record, the group descriptors, the buffer cache of the device
/// and the block-mapping and inode-table reads every other part uses. Corrupt values are reported as EUCLEAN with a
/// message naming the structure and block, recorded in <see cref="Errors"/> and, on a read-write mount, in the
/// superblock's s_state (EXT2_ERROR_FS) at the next sync; a read never leaves the volume. Allocation, inode
/// write-back, truncation and the superblock state live in the partial files beside this one.
/// </summary>
public sealed partial class Ext2Volume : ISuperBlockOperations
{
    /// <summary>EXT2_SUPER_MAGIC as statfs reports it.</summary>
    public const long StatFsMagic = 0xEF53;

    private readonly List<string> _errors = [];
    private readonly Ext2GroupDescriptor[] _groups;
    private readonly Stack<Bio> _bios = new();

    internal Ext2Volume(BufferCache buffers, Ext2SuperBlock record, Ext2GroupDescriptor[] groups)
    {
        Buffers = buffers;
        Record = record;
        _groups = groups;
        _mountState = record.State;
        BlockSize = record.BlockSize;
        PointersPerBlock = BlockSize / 4;
    }

    public BufferCache Buffers { get; }

    public Ext2SuperBlock Record { get; }

    /// <summary>The group descriptors as the allocator keeps them (written to the table and its backups at sync).</summary>
    public IReadOnlyList<Ext2GroupDescriptor> Groups => _groups;

    public int BlockSize { get; }

    public int PointersPerBlock { get; }

    /// <summary>Corruption found since mount, one line each naming the structure and block.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public string DeviceName => Buffers.Device.Name;

    /// <summary>Records a corruption (ext2_error) and returns EUCLEAN for the caller to pass on.</summary>
    internal Errno Corrupt(string message)
    {
        _errors.Add($"ext2 {DeviceName}: {message}");
        MarkErrors();
        if (_superBlock is not null)
            _superBlock.LastErrorDetail = _errors[^1];
        return Errno.EUCLEAN;
    }

    /// <summary>True when <paramref name="block"/> is a data block inside the volume.</summary>
    internal bool IsValidBlock(uint block) => block >= Record.FirstDataBlock && block < Record.BlocksCount && block < Buffers.BlockCount;

    /// <summary>Reads inode <paramref name="number"/> from its group's inode table.</summary>
    public async ValueTask<(Ext2Inode? Inode, Errno Error)> ReadInodeAsync(uint number)
    {
        if (number < 1 || number > Record.InodesCount)
            return (null, Corrupt($"inode number {number} out of range 1..{Record.InodesCount}"));
        uint group = (number - 1) / Record.InodesPerGroup;
        uint index = (number - 1) % Record.InodesPerGroup;
        if (group >= Groups.Count)
            return (null, Corrupt($"inode {number} lies in group {group} past the {Groups.Count} group descriptors"));
        long byteOffset = (long)index * Record.InodeSize;
        long tableBlock = Groups[(int)group].InodeTable;
        long block = tableBlock + byteOffset / BlockSize;
        if (tableBlock == 0 || block >= Record.BlocksCount || block >= Buffers.BlockCount)
            return (null, Corrupt($"inode table of group {group} (block {tableBlock}) holds inode {number} past the volume's end"));
        using BufferLease lease = await Buffers.GetBlockAsync(block);
        if (!lease.Ok)
            return (null, lease.Status);
        bool sizeHigh = Record.Revision >= Ext2SuperBlock.DynamicRevision;
        return (Ext2Inode.Read(lease.Data.Slice((int)(byteOffset % BlockSize), Ext2Inode.Size), sizeHigh), Errno.None);
    }

    /// <summary>
    /// get_block without create: the disk block holding file block <paramref name="fileBlock"/> of
    /// <paramref name="inode"/> through the direct, indirect, double and triple indirect pointers; 0 for a hole.
    /// </summary>
    public async ValueTask<(uint Block, Errno Error)> MapBlockAsync(uint number, Ext2Inode inode, long fileBlock)
    {
        long per = PointersPerBlock;
        if (fileBlock < Ext2Inode.DirectBlocks)
            return Checked(number, inode.Block[fileBlock], "direct pointer", fileBlock);
        fileBlock -= Ext2Inode.DirectBlocks;
        int slot;
        int depth;
        if (fileBlock < per)
        {
            slot = Ext2Inode.IndirectSlot;
            depth = 1;
        }
        else if ((fileBlock -= per) < per * per)
        {
            slot = Ext2Inode.DoubleIndirectSlot;
            depth = 2;
        }
        else if ((fileBlock -= per * per) < per * per * per)
        {
            slot = Ext2Inode.TripleIndirectSlot;
            depth = 3;
        }
        else
        {
            // Reads stop at i_size, so only an i_size larger than the block map can address gets here.
            return (0, Corrupt($"inode {number}: i_size {inode.FileSize} reaches past what the triple indirect map addresses"));
        }
        (uint current, Errno error) = Checked(number, inode.Block[slot], "indirect pointer slot", slot);
        for (int level = depth - 1; level >= 0 && current != 0 && error == Errno.None; level--)
        {
            long divisor = level switch { 0 => 1, 1 => per, _ => per * per };
            int index = (int)(fileBlock / divisor % per);
            uint parent = current;
            using BufferLease lease = await Buffers.GetBlockAsync(parent);
            if (!lease.Ok)
                return (0, lease.Status);
            uint next = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(index * 4)..]);
            (current, error) = Checked(number, next, "indirect block", parent, index);
        }
        return (current, error);
    }

    /// <summary>
    /// ext2_get_blocks without create: maps up to <paramref name="maxBlocks"/> file blocks from
    /// <paramref name="fileBlock"/> in one walk of the block map, as far as one pointer array reaches (the inode's
    /// direct slots, or one indirect block: a whole indirect block's worth of blocks per walk). Returns the first
    /// disk block and how many of the file blocks follow it on disk (Block, Block + 1, ...); for a hole, Block 0 and
    /// the run of holes. A bad pointer ends the run before it and is reported when it is the first block.
    /// </summary>
    public async ValueTask<(uint Block, int Count, Errno Error)> MapBlocksAsync(uint number, Ext2Inode inode, long fileBlock, int maxBlocks)
    {
        if (maxBlocks <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxBlocks), maxBlocks, "a run maps at least one block");
        long per = PointersPerBlock;
        if (fileBlock < Ext2Inode.DirectBlocks)
        {
            int limit = (int)Math.Min(maxBlocks, Ext2Inode.DirectBlocks - fileBlock);
            (uint direct, Errno bad) = Checked(number, inode.Block[fileBlock], "direct pointer", fileBlock);
            if (bad != Errno.None)
                return (0, 0, bad);
            int directCount = 1;
            while (directCount < limit && Follows(direct, directCount, inode.Block[fileBlock + directCount]))
                directCount++;
            return (direct, directCount, Errno.None);
        }
        long relative = fileBlock - Ext2Inode.DirectBlocks;
        int slot;
        int depth;
        if (relative < per)
        {
            slot = Ext2Inode.IndirectSlot;
            depth = 1;
        }
        else if ((relative -= per) < per * per)
        {
            slot = Ext2Inode.DoubleIndirectSlot;
            depth = 2;
        }
        else if ((relative -= per * per) < per * per * per)
        {
            slot = Ext2Inode.TripleIndirectSlot;
            depth = 3;
        }
        else
        {
            return (0, 0, Corrupt($"inode {number}: i_size {inode.FileSize} reaches past what the triple indirect map addresses"));
        }
        int first = (int)(relative % per);
        int count = (int)Math.Min(maxBlocks, per - first);
        (uint current, Errno error) = Checked(number, inode.Block[slot], "indirect pointer slot", slot);
        for (int level = depth - 1; level >= 1 && current != 0 && error == Errno.None; level--)
        {
            long divisor = level == 1 ? per : per * per;
            int index = (int)(relative / divisor % per);
            uint parent = current;
            using BufferLease lease = await Buffers.GetBlockAsync(parent);
            if (!lease.Ok)
                return (0, 0, lease.Status);
            uint next = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(lease.Data[(index * 4)..]);
            (current, error) = Checked(number, next, "indirect block", parent, index);
        }
        if (error != Errno.None)
            return (0, 0, error);
        if (current == 0)
            return (0, count, Errno.None); // the whole pointer array is missing: every block of it is a hole
        using (BufferLease lease = await Buffers.GetBlockAsync(current))
        {
            if (!lease.Ok)
                return (0, 0, lease.Status);
            ReadOnlySpan<byte> pointers = lease.Data;
            (uint block, Errno bad) = Checked(number, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(pointers[(first * 4)..]), "indirect block", current, first);
            if (bad != Errno.None)
                return (0, 0, bad);
            int run = 1;
            while (run < count && Follows(block, run, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(pointers[((first + run) * 4)..])))
                run++;
            return (block, run, Errno.None);
        }
    }

    /// <summary>Whether <paramref name="next"/> continues the run starting at <paramref name="first"/> at position <paramref name="offset"/>: the next hole of a hole run, or the next valid block on disk.</summary>
    private bool Follows(uint first, int offset, uint next) =>
        first == 0 ? next == 0 : next == first + (long)offset && IsValidBlock(next);

    /// <summary>
    /// <see cref="Checked(uint, uint, string)"/> for the block-map walk, which runs for every file block read: the
    /// place ("<paramref name="label"/> <paramref name="site"/>[ entry <paramref name="entry"/>]") is only formatted
    /// when the pointer is bad, so a valid lookup builds no string.
    /// </summary>
    private (uint Block, Errno Error) Checked(uint number, uint block, string label, long site, long entry = -1) =>
        block == 0 || IsValidBlock(block)
            ? (block, Errno.None)
            : Checked(number, block, entry < 0 ? $"{label} {site}" : $"{label} {site} entry {entry}");

    private (uint Block, Errno Error) Checked(uint number, uint block, string where) =>
        block == 0 || IsValidBlock(block)
            ? (block, Errno.None)
            : (0, Corrupt($"inode {number}: {where} names block {block} outside the volume (blocks {Record.FirstDataBlock}..{Record.BlocksCount - 1})"));

    /// <summary>The live inode numbered <paramref name="number"/>, if the volume holds it.</summary>
    internal Inode? LiveInode(uint number) => _inodes.GetValueOrDefault(number);

    internal Bio RentBio() => _bios.TryPop(out Bio? bio) ? bio : new Bio(Buffers.Cache.Simulation, 32);

    internal void ReturnBio(Bio bio) => _bios.Push(bio);

    /// <summary>statfs: blocks charged to dirty pages count as used already.</summary>
    public StatFs StatFs(SuperBlock superBlock)
    {
        long reserved = Record.ReservedBlocksCount;
        long free = Math.Max(0, Record.FreeBlocksCount - DelayedBlocks);
        return new StatFs(StatFsMagic, BlockSize, Record.BlocksCount - Record.FirstDataBlock, free, Math.Max(0, free - reserved),
            Record.InodesCount, Record.FreeInodesCount, Ext2DirectoryEntry.MaxNameLength, superBlock.Flags);
    }
}
