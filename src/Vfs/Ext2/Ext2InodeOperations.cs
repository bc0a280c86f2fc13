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

    public Inode? Lookup(Inode directory, string name)
    {
        Ext2InodeData data = Data(directory);
        return data.Index.TryGetValue(name, out int index) ? data.Entries[index].Inode : null;
    }

    public (Inode? Inode, Errno Error) Create(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device) =>
        (null, Errno.EROFS);

    public (Inode? Inode, Errno Error) Symlink(Inode directory, string name, string target, Credentials owner) => (null, Errno.EROFS);

    public string ReadLink(Inode symlink) => Data(symlink).Target ?? "";

    public Errno Link(Inode directory, string name, Inode inode) => Errno.EROFS;

    public Errno Unlink(Inode directory, string name, Inode inode) => Errno.EROFS;

    public Errno Rename(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced) => Errno.EROFS;

    public bool IsEmpty(Inode directory) => Data(directory).Entries.Count == 0;

    /// <summary>Cookies: entry i (in on-disk order) has cookie i + 2, after the VFS's . and ..</summary>
    public int ReadDirectory(Inode directory, long position, List<DirectoryEntry> entries, int max)
    {
        List<(string Name, Inode Inode)> all = Data(directory).Entries;
        int first = (int)Math.Max(0, position - 2);
        int count = 0;
        for (int i = first; i < all.Count && count < max; i++, count++)
            entries.Add(new DirectoryEntry(all[i].Name, all[i].Inode.Number, all[i].Inode.Type, i + 3));
        return count;
    }

    public ValueTask<Errno> SetSizeAsync(Inode inode, long size) => new(Errno.EROFS);

    private static Ext2InodeData Data(Inode inode) => (Ext2InodeData)inode.Private!;
}
