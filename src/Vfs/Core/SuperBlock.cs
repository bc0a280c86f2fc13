using Hardware.BlockLayer;
using Hardware.Emulator.Collections;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>statfs(2) figures.</summary>
public readonly record struct StatFs(long Type, long BlockSize, long Blocks, long FreeBlocks, long AvailableBlocks,
    long Files, long FreeFiles, int MaxNameLength, MountFlags Flags);

/// <summary>What a filesystem supplies for a mounted instance (struct super_operations).</summary>
public interface ISuperBlockOperations
{
    StatFs StatFs(SuperBlock superBlock);

    /// <summary>Writes dirty inodes and metadata (sync_fs); data pages are written by the page cache.</summary>
    ValueTask<Errno> SyncAsync(SuperBlock superBlock);

    /// <summary>The inode lost its last link and its last open file (evict_inode): free its data.</summary>
    ValueTask EvictInodeAsync(Inode inode);

    /// <summary>The superblock is going away (put_super): release everything it holds.</summary>
    ValueTask PutSuperAsync(SuperBlock superBlock);
}

/// <summary>
/// A mounted filesystem instance (struct super_block): its type, device, block size, maximum file size, flags,
/// operations, root dentry and the list of dirty inodes.
/// </summary>
public sealed class SuperBlock
{
    private readonly DirtyInodeList _dirtyInodes = new();
    private readonly Simulation _simulation;

    public SuperBlock(FileSystemType type, string id, Simulation simulation, PageCache cache, BlockDevice? device,
        int blockSize, long maxFileSize, MountFlags flags)
    {
        Type = type;
        _simulation = simulation;
        Cache = cache;
        Device = device;
        BlockSize = blockSize;
        MaxFileSize = maxFileSize;
        Flags = flags;
        Id = id;
    }

    /// <summary>s_type.</summary>
    public FileSystemType Type { get; }

    /// <summary>s_bdev (null for RAM filesystems).</summary>
    public BlockDevice? Device { get; }

    /// <summary>s_id: the device name, or the type and an anonymous number.</summary>
    public string Id { get; }

    /// <summary>s_blocksize in bytes.</summary>
    public int BlockSize { get; }

    /// <summary>s_maxbytes: writes and truncates past it give EFBIG.</summary>
    public long MaxFileSize { get; }

    /// <summary>s_flags (read-only and the rest of the mount flags the instance was made with).</summary>
    public MountFlags Flags { get; set; }

    public bool IsReadOnly => (Flags & MountFlags.ReadOnly) != 0;

    /// <summary>s_op.</summary>
    public ISuperBlockOperations Operations { get; set; } = null!;

    /// <summary>s_root.</summary>
    public Dentry Root { get; set; } = null!;

    public PageCache Cache { get; }

    /// <summary>Mounts of this instance in the tree (the superblock is killed when the last goes).</summary>
    public int MountCount { get; internal set; }

    /// <summary>s_fs_info: the filesystem's own data.</summary>
    public object? FileSystemInfo { get; set; }

    /// <summary>Virtual time in ns (the clock inode times come from).</summary>
    /// <summary>CLOCK_REALTIME for the times this filesystem stamps (set from the VFS options at mount).</summary>
    public long Now => RealTimeAtStartNs + _simulation.Now;

    public long RealTimeAtStartNs { get; set; } = VfsOptions.DefaultRealTimeAtStartNs;

    public Simulation Simulation => _simulation;

    /// <summary>s_dirty: inodes whose metadata changed since they were last written.</summary>
    public IReadOnlyCollection<Inode> DirtyInodes => _dirtyInodes;

    /// <summary>
    /// The filesystem's own account of its last failure (what the kernel would log: the structure and block that is
    /// corrupt), so a syscall's message can name it.
    /// </summary>
    public string? LastErrorDetail { get; set; }

    /// <summary>
    /// A failure message: <paramref name="what"/> and, for an I/O or corruption error, the filesystem's detail, which
    /// is consumed so a later, unrelated failure never carries it. The errno is not repeated: the result that carries
    /// the message shows it.
    /// </summary>
    public string Describe(Errno error, string what)
    {
        string? detail = LastErrorDetail;
        LastErrorDetail = null;
        return error is Errno.EUCLEAN or Errno.EIO && detail is not null ? $"{what}: {detail}" : what;
    }

    public void MarkDirty(Inode inode)
    {
        if (!inode.IsDirty)
            _dirtyInodes.AddLast(inode);
    }

    /// <summary>Takes <paramref name="inode"/> off the dirty list (inode_io_list_del: an evicted inode is never written back).</summary>
    internal void ClearDirty(Inode inode)
    {
        if (inode.IsDirty)
            _dirtyInodes.Remove(inode);
    }

    /// <summary>How many freed regular-file inodes a superblock keeps for reuse (as the VFS's free file objects).</summary>
    public const int FreeInodeLimit = 64;

    /// <summary>Freed regular-file inodes waiting for reuse (this filesystem's inode slab); at most <see cref="FreeInodeLimit"/>.</summary>
    public int FreeInodes => _freeInodes.Count;

    private readonly Stack<Inode> _freeInodes = new();

    internal bool TryTakeFreeInode([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Inode? inode) => _freeInodes.TryPop(out inode);

    internal void RecycleInode(Inode inode)
    {
        if (_freeInodes.Count < FreeInodeLimit)
            _freeInodes.Push(inode);
    }

    /// <summary>Takes the dirty list for writing (the inodes are clean from here on).</summary>
    public Inode[] TakeDirtyInodes()
    {
        var taken = new Inode[_dirtyInodes.Count];
        for (int i = 0; i < taken.Length; i++)
            taken[i] = _dirtyInodes.RemoveFirst()!;
        return taken;
    }

    public override string ToString() => $"superblock {Id} ({Type.Name}{(IsReadOnly ? ", ro" : "")})";

    /// <summary>s_dirty, threaded through <see cref="Inode.DirtyLinks"/> (i_io_list): O(1) to join and to leave.</summary>
    private sealed class DirtyInodeList : IntrusiveList<Inode, DirtyInodeList.IoListLinks>
    {
        public struct IoListLinks : IListLinksAccessor<Inode>
        {
            public static ref ListLinks<Inode> Links(Inode item) => ref item.DirtyLinks;
        }
    }
}
