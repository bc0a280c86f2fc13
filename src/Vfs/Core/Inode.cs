using Hardware.Emulator.Collections;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// An in-memory inode (struct inode): identity, type and mode, ownership, size, link count, times in virtual ns,
/// and the two tables that make the object what it is - inode operations (namespace work on a directory) and file
/// operations (what read/write on an open file do). A regular file's data lives in its <see cref="Mapping"/>.
/// A filesystem makes inodes with <see cref="Allocate"/>: a regular file's inode evicted earlier on the same
/// superblock is taken back from its free list and reset (the inode slab and inode_init_always), with its address
/// space and the filesystem's private object kept for the filesystem to reset rather than reallocate.
/// </summary>
public sealed class Inode
{
    public Inode(SuperBlock superBlock, long number, InodeType type, int mode, IInodeOperations operations, IFileOperations fileOperations)
    {
        SuperBlock = superBlock;
        Operations = operations;
        FileOperations = fileOperations;
        Initialize(superBlock, number, type, mode, operations, fileOperations);
    }

    /// <summary>
    /// A fresh inode (alloc_inode): one of <paramref name="superBlock"/>'s freed regular-file inodes reset to the given
    /// identity, or a new object. Every attribute starts as on a new inode; the filesystem sets the rest.
    /// </summary>
    public static Inode Allocate(SuperBlock superBlock, long number, InodeType type, int mode, IInodeOperations operations, IFileOperations fileOperations)
    {
        if (!superBlock.TryTakeFreeInode(out Inode? inode))
            return new Inode(superBlock, number, type, mode, operations, fileOperations);
        inode.Initialize(superBlock, number, type, mode, operations, fileOperations);
        return inode;
    }

    /// <summary>inode_init_always: identity, type and mode given; owner 0, one link, size 0, times now, no mapping, no private data.</summary>
    private void Initialize(SuperBlock superBlock, long number, InodeType type, int mode, IInodeOperations operations, IFileOperations fileOperations)
    {
        SuperBlock = superBlock;
        Number = number;
        Type = type;
        Mode = mode & ModeBits.All;
        Operations = operations;
        FileOperations = fileOperations;
        Uid = Gid = 0;
        _size = 0;
        LinkCount = 1;
        long now = superBlock.Now;
        AccessTimeNs = ModifyTimeNs = ChangeTimeNs = now;
        Blocks = 0;
        DeviceNumber = 0;
        Mapping = null;
        Private = null;
        OpenCount = 0;
        DirtyLinks = default;
        IsFreed = false;
    }

    /// <summary>
    /// destroy_inode, called by the filesystem at the end of its eviction: the inode is unreachable (no links or no
    /// longer cached, no open file, no dentry names it), its pages are released. A regular file's inode goes on its
    /// superblock's bounded free list with its released address space and private object kept for the next
    /// <see cref="Allocate"/>; other types (a removed directory can still be a process's working directory, a socket
    /// node a bound address) are left to the collector.
    /// </summary>
    internal void Free()
    {
        if (IsFreed)
            throw new InvalidOperationException($"{this} freed twice");
        if (Mapping is { IsLive: true })
            throw new InvalidOperationException($"{this} freed with a live page cache");
        SuperBlock.ClearDirty(this);
        IsFreed = true;
        // An inode still open (put_super of an instance going away with it) is left to the collector too.
        if (Type != InodeType.Regular || OpenCount != 0)
            return;
        _recycledMapping = Mapping;
        _recycledPrivate = Private;
        Mapping = null;
        Private = null;
        SuperBlock.RecycleInode(this);
    }

    /// <summary>
    /// i_data: a regular file's page cache, named after the superblock and inode number; on a recycled inode the
    /// address space of its previous use, emptied, is reset and attached again.
    /// </summary>
    internal AddressSpace CreateMapping(IAddressSpaceOperations operations, long size)
    {
        AddressSpace? released = _recycledMapping;
        _recycledMapping = null;
        Mapping = SuperBlock.Cache.AttachAddressSpace(released, SuperBlock.Id, Number, operations, size);
        return Mapping;
    }

    /// <summary>
    /// The private object of this inode's previous use when it is a <typeparamref name="T"/> (the filesystem's part
    /// of the slab object, ext2_inode_info around the VFS inode), for the filesystem to reset; null on a new inode.
    /// </summary>
    internal T? TakeRecycledPrivate<T>() where T : class
    {
        var recycled = _recycledPrivate as T;
        _recycledPrivate = null;
        return recycled;
    }

    private AddressSpace? _recycledMapping;
    private object? _recycledPrivate;

    /// <summary>i_sb.</summary>
    public SuperBlock SuperBlock { get; private set; }

    /// <summary>i_ino.</summary>
    public long Number { get; private set; }

    public InodeType Type { get; private set; }

    /// <summary>Permission and special bits (07777) of i_mode.</summary>
    public int Mode { get; set; }

    /// <summary>i_mode: type and permission bits together, as st_mode.</summary>
    public int FullMode => (int)Type | Mode;

    public int Uid { get; set; }

    public int Gid { get; set; }

    /// <summary>i_size; for a file with a page cache this is the address space's size.</summary>
    public long Size
    {
        get => Mapping?.Size ?? _size;
        set
        {
            if (Mapping is not null)
                Mapping.Size = value;
            else
                _size = value;
        }
    }

    private long _size;

    /// <summary>i_nlink.</summary>
    public int LinkCount { get; set; } = 1;

    public long AccessTimeNs { get; set; }

    public long ModifyTimeNs { get; set; }

    public long ChangeTimeNs { get; set; }

    /// <summary>i_blocks: 512-byte units allocated.</summary>
    public long Blocks { get; set; }

    /// <summary>i_rdev for device nodes: major &lt;&lt; 20 | minor (the kernel's dev_t).</summary>
    public uint DeviceNumber { get; set; }

    /// <summary>i_op.</summary>
    public IInodeOperations Operations { get; private set; }

    /// <summary>i_fop: the table an open file of this inode takes its operations from.</summary>
    public IFileOperations FileOperations { get; set; }

    /// <summary>i_mapping: the page cache of a regular file (null for other types).</summary>
    public AddressSpace? Mapping { get; set; }

    /// <summary>The filesystem's own per-inode data (i_private).</summary>
    public object? Private { get; set; }

    /// <summary>Open files of this inode: an unlinked inode lives until the last one closes.</summary>
    public int OpenCount { get; internal set; }

    /// <summary>On the superblock's dirty list (metadata changed since the last write of the inode).</summary>
    public bool IsDirty => DirtyLinks.IsLinked;

    /// <summary>Links of the superblock's dirty list (i_io_list).</summary>
    internal ListLinks<Inode> DirtyLinks;

    /// <summary>Evicted and freed (on the free list or left to the collector) until <see cref="Allocate"/> reuses it.</summary>
    public bool IsFreed { get; private set; }

    public bool IsDirectory => Type == InodeType.Directory;

    /// <summary>Stamps ctime (and mtime) and puts the inode on its superblock's dirty list (mark_inode_dirty).</summary>
    public void Touch(bool modified = true)
    {
        long now = SuperBlock.Now;
        ChangeTimeNs = now;
        if (modified)
            ModifyTimeNs = now;
        SuperBlock.MarkDirty(this);
    }

    public static uint MakeDevice(int major, int minor) => (uint)(major << 20 | (minor & 0xFFFFF));

    public override string ToString() => $"inode {Number} ({Type}, {Convert.ToString(Mode, 8)}, {LinkCount} links, {Size} bytes) on {SuperBlock.Id}";
}
