using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.RamFs;

/// <summary>
/// One ramfs instance's state and super operations: the size limit (0 = none, as plain ramfs), the bytes charged
/// to files, inode numbering and the live inodes (so put_super can give every page back). An evicted inode is freed to the superblock's free list
/// of inodes, where the next new file takes it from.
/// </summary>
public sealed class RamSuperInfo : ISuperBlockOperations
{
    /// <summary>ramfs's magic number (RAMFS_MAGIC), reported by statfs.</summary>
    public const long Magic = 0x858458f6;

    private readonly HashSet<Inode> _inodes = [];
    private long _nextInode = 1;

    public RamSuperInfo(long limitBytes) => LimitBytes = limitBytes;

    /// <summary>The size= option in bytes; 0 for no limit.</summary>
    public long LimitBytes { get; }

    /// <summary>Bytes of file data charged against the limit (whole pages).</summary>
    public long UsedBytes { get; internal set; }

    public int LiveInodes => _inodes.Count;

    internal long NextInodeNumber() => _nextInode++;

    internal void Track(Inode inode) => _inodes.Add(inode);

    public StatFs StatFs(SuperBlock superBlock)
    {
        long blocks = LimitBytes / CachePage.Size;
        long free = LimitBytes == 0 ? 0 : (LimitBytes - UsedBytes) / CachePage.Size;
        return new StatFs(Magic, CachePage.Size, blocks, free, free, _inodes.Count, 0, PathWalker.NameMax, superBlock.Flags);
    }

    public ValueTask<Errno> SyncAsync(SuperBlock superBlock)
    {
        superBlock.TakeDirtyInodes();
        return new ValueTask<Errno>(Errno.None);
    }

    public async ValueTask EvictInodeAsync(Inode inode)
    {
        if (!_inodes.Remove(inode))
            return;
        if (inode.Private is RamFileData data)
            UsedBytes -= data.ChargedPages * CachePage.Size;
        if (inode.Mapping is { IsLive: true } mapping)
            await mapping.Cache.ReleaseAsync(mapping);
        inode.Free();
    }

    public async ValueTask PutSuperAsync(SuperBlock superBlock)
    {
        foreach (Inode inode in _inodes.ToArray())
            await EvictInodeAsync(inode);
    }
}
