using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// An open file (struct file): the path it was opened by (mount and dentry), its flags and position, the operations
/// taken from the inode at open, and the read-ahead state. Shared by every descriptor dup'ed from the same open.
/// Like the kernel's files from their slab cache, the VFS reuses the objects of released files
/// (<see cref="VirtualFileSystem.OpenFile"/>), so open + close allocates nothing in steady state; a released file must
/// not be used again by whoever held it.
/// </summary>
public sealed class File
{
    /// <summary>f_ra's storage, kept when the object is reused (the read-ahead state is part of struct file too).</summary>
    private ReadAheadState? _readAheadStorage;

    internal File(VfsPath path, Inode inode, OpenFlags flags, int readAheadMaxPages) => Bind(path, inode, flags, readAheadMaxPages);

    /// <summary>f_path.</summary>
    public VfsPath Path { get; private set; }

    /// <summary>f_inode.</summary>
    public Inode Inode { get; private set; } = null!;

    /// <summary>f_op.</summary>
    public IFileOperations Operations { get; private set; } = null!;

    /// <summary>f_flags (the access mode and status flags; close-on-exec lives in the descriptor table).</summary>
    public OpenFlags Flags { get; internal set; }

    /// <summary>f_pos.</summary>
    public long Position { get; set; }

    /// <summary>f_ra (null when the file has no page cache).</summary>
    public ReadAheadState? ReadAhead { get; private set; }

    /// <summary>Descriptors referring to this open file.</summary>
    public int ReferenceCount { get; internal set; }

    /// <summary>The opening process's id, passed to the cache for the block trace.</summary>
    public int ProcessId { get; internal set; }

    /// <summary>The filesystem's or driver's per-open data (private_data).</summary>
    public object? Private { get; set; }

    public bool CanRead => (Flags & OpenFlags.AccessModeMask) != OpenFlags.WriteOnly;

    public bool CanWrite => (Flags & OpenFlags.AccessModeMask) != OpenFlags.ReadOnly;

    /// <summary>
    /// Makes this object the fresh open of <paramref name="inode"/> (alloc_file + do_dentry_open): one reference,
    /// position 0, no private data, and for a file with a page cache a read-ahead state as file_ra_state_init leaves it.
    /// </summary>
    internal void Bind(VfsPath path, Inode inode, OpenFlags flags, int readAheadMaxPages)
    {
        Path = path;
        Inode = inode;
        Flags = flags;
        Operations = inode.FileOperations;
        Position = 0;
        ReferenceCount = 1;
        ProcessId = 0;
        Private = null;
        if (inode.Mapping is null)
        {
            ReadAhead = null;
            return;
        }
        if (_readAheadStorage is null)
        {
            _readAheadStorage = new ReadAheadState(readAheadMaxPages);
        }
        else
        {
            _readAheadStorage.MaxPages = readAheadMaxPages;
            _readAheadStorage.Start = 0;
            _readAheadStorage.Size = 0;
            _readAheadStorage.AsyncSize = 0;
            _readAheadStorage.PreviousPosition = -1;
        }
        ReadAhead = _readAheadStorage;
    }

    /// <summary>Drops what the released file referred to, so a reused object holds nothing of its last open.</summary>
    internal void Unbind()
    {
        Path = default;
        Inode = null!;
        Operations = null!;
        Private = null;
        ReadAhead = null;
        ReferenceCount = 0;
    }

    public override string ToString() => Inode is null ? "released file" : $"file {Path.Dentry.FullName} at {Position} ({Flags})";
}
