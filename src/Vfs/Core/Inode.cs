using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// An in-memory inode (struct inode): identity, type and mode, ownership, size, link count, times in virtual ns,
/// and the two tables that make the object what it is - inode operations (namespace work on a directory) and file
/// operations (what read/write on an open file do). A regular file's data lives in its <see cref="Mapping"/>.
/// </summary>
public sealed class Inode
{
    public Inode(SuperBlock superBlock, long number, InodeType type, int mode, IInodeOperations operations, IFileOperations fileOperations)
    {
        SuperBlock = superBlock;
        Number = number;
        Type = type;
        Mode = mode & ModeBits.All;
        Operations = operations;
        FileOperations = fileOperations;
        long now = superBlock.Now;
        AccessTimeNs = ModifyTimeNs = ChangeTimeNs = now;
    }

    /// <summary>i_sb.</summary>
    public SuperBlock SuperBlock { get; }

    /// <summary>i_ino.</summary>
    public long Number { get; }

    public InodeType Type { get; }

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
    public IInodeOperations Operations { get; }

    /// <summary>i_fop: the table an open file of this inode takes its operations from.</summary>
    public IFileOperations FileOperations { get; set; }

    /// <summary>i_mapping: the page cache of a regular file (null for other types).</summary>
    public AddressSpace? Mapping { get; set; }

    /// <summary>The filesystem's own per-inode data (i_private).</summary>
    public object? Private { get; set; }

    /// <summary>Open files of this inode: an unlinked inode lives until the last one closes.</summary>
    public int OpenCount { get; internal set; }

    /// <summary>On the superblock's dirty list (metadata changed since the last write of the inode).</summary>
    public bool IsDirty { get; internal set; }

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
