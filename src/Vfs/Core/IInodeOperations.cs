using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>
/// The filesystem's namespace operations on a directory inode (struct inode_operations). The VFS has already
/// resolved the path, checked permissions, read-only mounts and the existence rules; the filesystem only changes
/// its directory and returns an errno for what only it can know (ENOSPC, EMLINK).
/// </summary>
public interface IInodeOperations
{
    /// <summary>The inode named <paramref name="name"/> in <paramref name="directory"/>, or null (a negative entry).</summary>
    Inode? Lookup(Inode directory, string name);

    /// <summary>Creates a regular file, directory, device node, FIFO or socket inode and its entry (create, mkdir, mknod).</summary>
    (Inode? Inode, Errno Error) Create(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device);

    (Inode? Inode, Errno Error) Symlink(Inode directory, string name, string target, Credentials owner);

    string ReadLink(Inode symlink);

    /// <summary>Adds a hard link to <paramref name="inode"/> named <paramref name="name"/>.</summary>
    Errno Link(Inode directory, string name, Inode inode);

    /// <summary>Removes the entry (unlink, and rmdir of an empty directory); drops the link counts.</summary>
    Errno Unlink(Inode directory, string name, Inode inode);

    /// <summary>Moves an entry; <paramref name="replaced"/> is the inode the new name had (already checked replaceable).</summary>
    Errno Rename(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced);

    /// <summary>True when the directory holds no entries besides . and ..</summary>
    bool IsEmpty(Inode directory);

    /// <summary>
    /// Appends up to <paramref name="max"/> entries whose cookie is at least <paramref name="position"/> (cookies 0
    /// and 1 are . and .., which the VFS emits); returns the number appended.
    /// </summary>
    int ReadDirectory(Inode directory, long position, List<DirectoryEntry> entries, int max);

    /// <summary>Changes a regular file's size (truncate): frees or zero-extends its data.</summary>
    ValueTask<Errno> SetSizeAsync(Inode inode, long size);
}

/// <summary>One entry of getdents: name, inode number, type and the cookie to continue after it.</summary>
public readonly record struct DirectoryEntry(string Name, long InodeNumber, InodeType Type, long NextPosition);
