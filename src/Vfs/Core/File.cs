using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>
/// An open file (struct file): the path it was opened by (mount and dentry), its flags and position, the operations
/// taken from the inode at open, and the read-ahead state. Shared by every descriptor dup'ed from the same open.
/// </summary>
public sealed class File
{
    internal File(VfsPath path, Inode inode, OpenFlags flags, ReadAheadState? readAhead)
    {
        Path = path;
        Inode = inode;
        Flags = flags;
        Operations = inode.FileOperations;
        ReadAhead = readAhead;
    }

    /// <summary>f_path.</summary>
    public VfsPath Path { get; }

    /// <summary>f_inode.</summary>
    public Inode Inode { get; }

    /// <summary>f_op.</summary>
    public IFileOperations Operations { get; }

    /// <summary>f_flags (the access mode and status flags; close-on-exec lives in the descriptor table).</summary>
    public OpenFlags Flags { get; internal set; }

    /// <summary>f_pos.</summary>
    public long Position { get; set; }

    /// <summary>f_ra (null when the file has no page cache).</summary>
    public ReadAheadState? ReadAhead { get; }

    /// <summary>Descriptors referring to this open file.</summary>
    public int ReferenceCount { get; internal set; } = 1;

    /// <summary>The opening process's id, passed to the cache for the block trace.</summary>
    public int ProcessId { get; internal set; }

    /// <summary>The filesystem's or driver's per-open data (private_data).</summary>
    public object? Private { get; set; }

    public bool CanRead => (Flags & OpenFlags.AccessModeMask) != OpenFlags.WriteOnly;

    public bool CanWrite => (Flags & OpenFlags.AccessModeMask) != OpenFlags.ReadOnly;

    public override string ToString() => $"file {Path.Dentry.FullName} at {Position} ({Flags})";
}
