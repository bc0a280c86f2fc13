using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

// The superblock's state across a read-write mount, as Linux ext2 keeps it: at mount s_state is remembered
// (s_mount_state), s_mnt_count goes up, s_mtime is set and EXT2_VALID_FS is cleared on disk while mounted; every sync
// writes the free counts, s_wtime and the group descriptors (primary and the sparse_super backups); umount puts the
// remembered state back - clean only if it was clean at mount and no error was found since (EXT2_ERROR_FS sticks).
public sealed partial class Ext2Volume
{
    /// <summary>EXT2_DFL_MAX_MNT_COUNT: what an s_max_mnt_count of 0 becomes at a read-write mount.</summary>
    public const short DefaultMaxMountCount = 20;

    private readonly List<string> _warnings = [];
    private ushort _mountState;
    private bool _readWrite;
    private SuperBlock? _superBlock;

    /// <summary>Warnings of a read-write mount (an unchecked fs, one with errors, the maximal mount count reached).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>s_mount_state: the state read at mount, plus EXT2_ERROR_FS once an error was found.</summary>
    public ushort MountState => _mountState;

    public bool IsReadWrite => _readWrite;

    /// <summary>CLOCK_REALTIME in whole seconds, as ext2 stores times.</summary>
    internal uint NowSeconds => _superBlock is null ? 0 : ToSeconds(_superBlock.Now);

    internal static uint ToSeconds(long ns) => (uint)(int)Math.Floor(ns / 1e9);

    internal void Attach(SuperBlock superBlock) => _superBlock = superBlock;

    /// <summary>ext2_error's state change: the error reaches the superblock at the next sync of a read-write mount.</summary>
    private void MarkErrors()
    {
        if (!_readWrite)
            return;
        _mountState |= Ext2SuperBlock.StateErrors;
        Record.State |= Ext2SuperBlock.StateErrors;
    }

    /// <summary>ext2_setup_super and the first sync of a read-write mount.</summary>
    internal async ValueTask<Errno> BeginReadWriteAsync()
    {
        _readWrite = true;
        _mountState = Record.State;
        if ((_mountState & Ext2SuperBlock.StateValid) == 0)
            _warnings.Add($"ext2 {DeviceName}: warning: mounting unchecked fs, running e2fsck is recommended");
        else if ((_mountState & Ext2SuperBlock.StateErrors) != 0)
            _warnings.Add($"ext2 {DeviceName}: warning: mounting fs with errors, running e2fsck is recommended");
        else if (Record.MaxMountCount >= 0 && Record.MountCount >= (ushort)Record.MaxMountCount)
            _warnings.Add($"ext2 {DeviceName}: warning: maximal mount count reached, running e2fsck is recommended");
        if (Record.MaxMountCount == 0)
            Record.MaxMountCount = DefaultMaxMountCount;
        Record.MountCount++;
        Record.MountTime = NowSeconds;
        Record.State = (ushort)(_mountState & ~Ext2SuperBlock.StateValid);
        Errno error = await WriteSuperAsync(backups: false);
        return error != Errno.None ? error : await Buffers.SyncAsync();
    }

    /// <summary>sync_fs: dirty inodes into the inode table, the superblock and group descriptors, then every dirty buffer.</summary>
    public async ValueTask<Errno> SyncAsync(SuperBlock superBlock)
    {
        Inode[] dirty = superBlock.TakeDirtyInodes();
        if (!_readWrite)
            return Errno.None;
        Errno first = Errno.None;
        foreach (Inode inode in dirty)
        {
            if (inode.Private is Ext2InodeData { IsFreed: false })
                Keep(ref first, await WriteInodeAsync(inode));
        }
        Keep(ref first, await WriteChangedRecordsAsync());
        Record.State &= unchecked((ushort)~Ext2SuperBlock.StateValid);
        Keep(ref first, await WriteSuperAsync(backups: true));
        Keep(ref first, await Buffers.SyncAsync());
        return first;
    }

    public async ValueTask PutSuperAsync(SuperBlock superBlock)
    {
        if (_readWrite)
        {
            Record.State = _mountState;
            await WriteSuperAsync(backups: true);
            await Buffers.SyncAsync();
        }
        foreach (Inode inode in _inodes.Values)
        {
            if (inode.Mapping is { IsLive: true } mapping)
                await superBlock.Cache.ReleaseAsync(mapping);
        }
        _inodes.Clear();
        _windows.Clear();
        await superBlock.Cache.ReleaseAsync(Buffers.Space);
    }

    /// <summary>
    /// Writes the superblock (free counts, s_wtime) at byte 1024 and the group descriptor table after it; with
    /// <paramref name="backups"/> also the copies at the start of every group that holds one (sparse_super: 0, 1 and
    /// the powers of 3, 5 and 7), each with its s_block_group_nr.
    /// </summary>
    private async ValueTask<Errno> WriteSuperAsync(bool backups)
    {
        Record.FreeBlocksCount = (uint)Math.Max(0, (long)CountFree(static g => g.FreeBlocksCount));
        Record.FreeInodesCount = (uint)CountFree(static g => g.FreeInodesCount);
        Record.WriteTime = NowSeconds;
        Errno first = await WriteSuperCopyAsync(0);
        for (int group = 1; backups && group < _groups.Length; group++)
        {
            if (HasSuperBackup(group))
                Keep(ref first, await WriteSuperCopyAsync(group));
        }
        return first;
    }

    private long CountFree(Func<Ext2GroupDescriptor, ushort> field)
    {
        long total = 0;
        foreach (Ext2GroupDescriptor group in _groups)
            total += field(group);
        return total;
    }

    private async ValueTask<Errno> WriteSuperCopyAsync(int group)
    {
        long superBlockByte = group == 0 ? Ext2SuperBlock.ByteOffset : GroupFirstBlock(group) * BlockSize;
        long block = superBlockByte / BlockSize;
        using (BufferLease lease = await Buffers.GetBlockAsync(block))
        {
            if (!lease.Ok)
                return lease.Status;
            Record.BlockGroupNumber = (ushort)group;
            Record.Write(lease.Data.Slice((int)(superBlockByte % BlockSize), Ext2SuperBlock.Size));
            Record.BlockGroupNumber = 0;
            lease.MarkDirty();
        }
        long tableStart = group == 0 ? Record.FirstDataBlock + 1 : GroupFirstBlock(group) + 1;
        int perBlock = BlockSize / Ext2GroupDescriptor.Size;
        for (int first = 0; first < _groups.Length; first += perBlock)
        {
            using BufferLease lease = await Buffers.GetBlockAsync(tableStart + first / perBlock);
            if (!lease.Ok)
                return lease.Status;
            for (int i = first; i < _groups.Length && i < first + perBlock; i++)
                _groups[i].Write(lease.Data[((i - first) * Ext2GroupDescriptor.Size)..]);
            lease.MarkDirty();
        }
        return Errno.None;
    }

    /// <summary>ext2_bg_has_super: every group without sparse_super; with it groups 0, 1 and powers of 3, 5 and 7.</summary>
    internal bool HasSuperBackup(int group)
    {
        if (group <= 1 || (Record.FeatureRoCompat & Ext2RoCompatFeatures.SparseSuper) == 0)
            return true;
        return IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7);
    }

    private static bool IsPowerOf(int value, int root)
    {
        long power = root;
        while (power < value)
            power *= root;
        return power == value;
    }

    private static void Keep(ref Errno first, Errno error)
    {
        if (first == Errno.None)
            first = error;
    }
}
