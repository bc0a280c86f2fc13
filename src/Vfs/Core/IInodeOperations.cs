using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>
/// The filesystem's namespace operations on a directory inode (struct inode_operations). The VFS has already
/// resolved the path, checked permissions, read-only mounts and the existence rules; the filesystem only changes
/// its directory and returns an errno for what only it can know (ENOSPC, EMLINK, EIO, EUCLEAN). Every operation
/// may need the disk (a directory block, an inode table block), so each is asynchronous; a RAM filesystem
/// completes synchronously and a cached path walk allocates nothing.
/// </summary>
public interface IInodeOperations
{
    /// <summary>The inode named <paramref name="name"/> in <paramref name="directory"/>, or null (a negative entry).</summary>
    ValueTask<(Inode? Inode, Errno Error)> LookupAsync(Inode directory, string name);

    /// <summary>Creates a regular file, directory, device node, FIFO or socket inode and its entry (create, mkdir, mknod).</summary>
    ValueTask<(Inode? Inode, Errno Error)> CreateAsync(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device);

    ValueTask<(Inode? Inode, Errno Error)> SymlinkAsync(Inode directory, string name, string target, Credentials owner);

    ValueTask<(string? Target, Errno Error)> ReadLinkAsync(Inode symlink);

    /// <summary>Adds a hard link to <paramref name="inode"/> named <paramref name="name"/>.</summary>
    ValueTask<Errno> LinkAsync(Inode directory, string name, Inode inode);

    /// <summary>Removes the entry (unlink, and rmdir of an empty directory); drops the link counts.</summary>
    ValueTask<Errno> UnlinkAsync(Inode directory, string name, Inode inode);

    /// <summary>Moves an entry; <paramref name="replaced"/> is the inode the new name had (already checked replaceable).</summary>
    ValueTask<Errno> RenameAsync(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced);

    /// <summary>True when the directory holds no entries besides . and ..</summary>
    ValueTask<(bool Empty, Errno Error)> IsEmptyAsync(Inode directory);

    /// <summary>
    /// Appends up to <paramref name="max"/> entries whose cookie is at least <paramref name="position"/> (cookies 0
    /// and 1 are . and .., which the VFS emits); returns the number appended.
    /// </summary>
    ValueTask<(int Count, Errno Error)> ReadDirectoryAsync(Inode directory, long position, List<DirectoryEntry> entries, int max);

    /// <summary>Changes a regular file's size (truncate): frees or zero-extends its data.</summary>
    ValueTask<Errno> SetSizeAsync(Inode inode, long size);
}

/// <summary>One entry of getdents: name, inode number, type and the cookie to continue after it.</summary>
public readonly record struct DirectoryEntry(string Name, long InodeNumber, InodeType Type, long NextPosition);
