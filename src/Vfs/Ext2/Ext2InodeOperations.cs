using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// ext2's inode operations over the directory entries loaded at mount. This slice is read-only: the superblock is
/// always mounted read-only, so the VFS answers EROFS before any change reaches here; the changing operations
/// answer EROFS themselves as well.
/// </summary>
public sealed class Ext2InodeOperations : IInodeOperations
{
    public static Ext2InodeOperations Instance { get; } = new();

    public ValueTask<(Inode? Inode, Errno Error)> LookupAsync(Inode directory, string name)
    {
        Ext2InodeData data = Data(directory);
        return new((data.Index.TryGetValue(name, out int index) ? data.Entries[index].Inode : null, Errno.None));
    }

    public ValueTask<(Inode? Inode, Errno Error)> CreateAsync(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device) =>
        new((null, Errno.EROFS));

    public ValueTask<(Inode? Inode, Errno Error)> SymlinkAsync(Inode directory, string name, string target, Credentials owner) => new((null, Errno.EROFS));

    public ValueTask<(string? Target, Errno Error)> ReadLinkAsync(Inode symlink) => new((Data(symlink).Target ?? "", Errno.None));

    public ValueTask<Errno> LinkAsync(Inode directory, string name, Inode inode) => new(Errno.EROFS);

    public ValueTask<Errno> UnlinkAsync(Inode directory, string name, Inode inode) => new(Errno.EROFS);

    public ValueTask<Errno> RenameAsync(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced) => new(Errno.EROFS);

    public ValueTask<(bool Empty, Errno Error)> IsEmptyAsync(Inode directory) => new((Data(directory).Entries.Count == 0, Errno.None));

    /// <summary>Cookies: entry i (in on-disk order) has cookie i + 2, after the VFS's . and ..</summary>
    public ValueTask<(int Count, Errno Error)> ReadDirectoryAsync(Inode directory, long position, List<DirectoryEntry> entries, int max)
    {
        List<(string Name, Inode Inode)> all = Data(directory).Entries;
        int first = (int)Math.Max(0, position - 2);
        int count = 0;
        for (int i = first; i < all.Count && count < max; i++, count++)
            entries.Add(new DirectoryEntry(all[i].Name, all[i].Inode.Number, all[i].Inode.Type, i + 3));
        return new((count, Errno.None));
    }

    public ValueTask<Errno> SetSizeAsync(Inode inode, long size) => new(Errno.EROFS);

    private static Ext2InodeData Data(Inode inode) => (Ext2InodeData)inode.Private!;
}
