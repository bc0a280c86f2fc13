using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// ext2's inode operations (ext2_dir_inode_operations and friends): lookups and readdir walk the directory's blocks
/// on demand; changes edit directory records in place through the buffer cache.
/// </summary>
public sealed class Ext2InodeOperations : IInodeOperations
{
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

    public ValueTask<(Inode? Inode, Errno Error)> CreateAsync(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device) =>
        new((null, Errno.EROFS));

    public ValueTask<(Inode? Inode, Errno Error)> SymlinkAsync(Inode directory, string name, string target, Credentials owner) => new((null, Errno.EROFS));

    public async ValueTask<(string? Target, Errno Error)> ReadLinkAsync(Inode symlink)
    {
        VfsResult<string> target = await Volume(symlink).ReadSymlinkAsync(Data(symlink));
        return target.Ok ? (target.Value, Errno.None) : (null, target.Errno);
    }

    public ValueTask<Errno> LinkAsync(Inode directory, string name, Inode inode) => new(Errno.EROFS);

    public ValueTask<Errno> UnlinkAsync(Inode directory, string name, Inode inode) => new(Errno.EROFS);

    public ValueTask<Errno> RenameAsync(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced) => new(Errno.EROFS);

    public ValueTask<(bool Empty, Errno Error)> IsEmptyAsync(Inode directory) => Volume(directory).IsEmptyDirectoryAsync(directory);

    public ValueTask<(int Count, Errno Error)> ReadDirectoryAsync(Inode directory, long position, List<DirectoryEntry> entries, int max) =>
        Volume(directory).ReadEntriesAsync(directory, position, entries, max);

    public ValueTask<Errno> SetSizeAsync(Inode inode, long size) => new(Errno.EROFS);

    private static Ext2InodeData Data(Inode inode) => (Ext2InodeData)inode.Private!;

    private static Ext2Volume Volume(Inode inode) => (Ext2Volume)inode.SuperBlock.FileSystemInfo!;
}
