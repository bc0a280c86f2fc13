using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// ext2's inode operations (ext2_dir_inode_operations and friends): lookups and readdir walk the directory's blocks
/// on demand; changes edit directory records in place through the buffer cache.
/// </summary>
public sealed class Ext2InodeOperations : IInodeOperations
{
    /// <summary>EXT2_LINK_MAX: i_links_count is 16 bits, and Linux's ext2 stops at 32000.</summary>
    public const int MaxLinks = 32000;

    public static Ext2InodeOperations Instance { get; } = new();

    public async ValueTask<(Inode? Inode, Errno Error)> LookupAsync(Inode directory, string name)
    {
        Ext2Volume volume = Volume(directory);
        (uint number, Errno error) = await volume.FindEntryAsync(directory, name);
        if (error != Errno.None || number == 0)
            return (null, error);
        VfsResult<Inode> inode = await volume.GetInodeAsync(number);
        return inode.Ok ? (inode.Value, Errno.None) : (null, inode.Errno);
    }

    public async ValueTask<(Inode? Inode, Errno Error)> CreateAsync(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device)
    {
        Ext2Volume volume = Volume(directory);
        if (type == InodeType.Directory && directory.LinkCount >= MaxLinks)
            return (null, Errno.EMLINK);
        (Inode? inode, Errno error) = await volume.NewInodeAsync(directory, type, mode, owner, device);
        if (inode is null)
            return (null, error);
        if (type == InodeType.Directory)
        {
            inode.LinkCount = 2;
            error = await volume.MakeEmptyDirectoryAsync(inode, (uint)directory.Number);
        }
        if (error == Errno.None)
            error = await volume.AddEntryAsync(directory, name, (uint)inode.Number, type);
        if (error != Errno.None)
        {
            await volume.AbandonAsync(inode);
            return (null, error);
        }
        if (type == InodeType.Directory)
            directory.LinkCount++;
        return (inode, Errno.None);
    }

    public async ValueTask<(Inode? Inode, Errno Error)> SymlinkAsync(Inode directory, string name, string target, Credentials owner)
    {
        Ext2Volume volume = Volume(directory);
        (Inode? inode, Errno error) = await volume.NewInodeAsync(directory, InodeType.Symlink, ModeBits.Permissions, owner, 0);
        if (inode is null)
            return (null, error);
        error = await volume.WriteSymlinkTargetAsync(inode, target);
        if (error == Errno.None)
            error = await volume.AddEntryAsync(directory, name, (uint)inode.Number, InodeType.Symlink);
        if (error != Errno.None)
        {
            await volume.AbandonAsync(inode);
            return (null, error);
        }
        return (inode, Errno.None);
    }

    public async ValueTask<(string? Target, Errno Error)> ReadLinkAsync(Inode symlink)
    {
        VfsResult<string> target = await Volume(symlink).ReadSymlinkAsync(Data(symlink));
        return target.Ok ? (target.Value, Errno.None) : (null, target.Errno);
    }

    public async ValueTask<Errno> LinkAsync(Inode directory, string name, Inode inode)
    {
        if (inode.LinkCount >= MaxLinks)
            return Errno.EMLINK;
        Errno error = await Volume(directory).AddEntryAsync(directory, name, (uint)inode.Number, inode.Type);
        if (error != Errno.None)
            return error;
        inode.LinkCount++;
        inode.Touch(modified: false);
        return Errno.None;
    }

    public async ValueTask<Errno> UnlinkAsync(Inode directory, string name, Inode inode)
    {
        Errno error = await Volume(directory).RemoveEntryAsync(directory, name);
        if (error != Errno.None)
            return error;
        DropLink(directory, inode);
        return Errno.None;
    }

    /// <summary>
    /// ext2_rename: the new name takes the inode (replacing what it named), the old record goes, and a directory that
    /// changes parent gets its '..' rewritten; link counts move as Linux moves them.
    /// </summary>
    public async ValueTask<Errno> RenameAsync(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced)
    {
        Ext2Volume volume = Volume(oldDirectory);
        (uint number, Errno error) = await volume.FindEntryAsync(oldDirectory, oldName);
        if (error != Errno.None)
            return error;
        if (number == 0)
            return Errno.ENOENT;
        VfsResult<Inode> moving = await volume.GetInodeAsync(number);
        if (!moving.Ok)
            return moving.Errno;
        Inode inode = moving.Value;
        bool directory = inode.IsDirectory;
        if (directory && replaced is null && oldDirectory != newDirectory && newDirectory.LinkCount >= MaxLinks)
            return Errno.EMLINK;
        if (replaced is not null)
        {
            error = await volume.SetEntryAsync(newDirectory, newName, number, inode.Type);
            if (error != Errno.None)
                return error;
            DropLink(newDirectory, replaced, countParent: false);
        }
        else
        {
            error = await volume.AddEntryAsync(newDirectory, newName, number, inode.Type);
            if (error != Errno.None)
                return error;
            if (directory)
                newDirectory.LinkCount++;
        }
        error = await volume.RemoveEntryAsync(oldDirectory, oldName);
        if (error != Errno.None)
            return error;
        if (directory)
        {
            if (oldDirectory != newDirectory)
            {
                error = await volume.SetParentAsync(inode, (uint)newDirectory.Number);
                if (error != Errno.None)
                    return error;
            }
            oldDirectory.LinkCount--;
        }
        inode.Touch(modified: false);
        return Errno.None;
    }

    /// <summary>
    /// An entry naming <paramref name="inode"/> went away: a directory loses both its links ('.' and the entry) and
    /// its parent the link of its '..' (unless a rename moves that link elsewhere).
    /// </summary>
    private static void DropLink(Inode directory, Inode inode, bool countParent = true)
    {
        if (inode.IsDirectory)
        {
            inode.LinkCount = 0;
            if (countParent)
                directory.LinkCount--;
        }
        else
        {
            inode.LinkCount--;
        }
        inode.Touch(modified: false);
        directory.Touch();
    }

    public ValueTask<(bool Empty, Errno Error)> IsEmptyAsync(Inode directory) => Volume(directory).IsEmptyDirectoryAsync(directory);

    public ValueTask<(int Count, Errno Error)> ReadDirectoryAsync(Inode directory, long position, List<DirectoryEntry> entries, int max) =>
        Volume(directory).ReadEntriesAsync(directory, position, entries, max);

    public ValueTask<Errno> SetSizeAsync(Inode inode, long size) => Volume(inode).SetSizeAsync(inode, size);

    private static Ext2InodeData Data(Inode inode) => (Ext2InodeData)inode.Private!;

    private static Ext2Volume Volume(Inode inode) => (Ext2Volume)inode.SuperBlock.FileSystemInfo!;
}
