using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.RamFs;

/// <summary>
/// ramfs's inode operations: directories are dictionaries of entries, regular files keep their data in an
/// unevictable address space, symlinks keep their target, device/FIFO/socket nodes are bare inodes whose file
/// operations come from the VFS's special-file table.
/// </summary>
public sealed class RamInodeOperations : IInodeOperations
{
    private readonly VirtualFileSystem _vfs;

    public RamInodeOperations(VirtualFileSystem vfs) => _vfs = vfs;

    public ValueTask<(Inode? Inode, Errno Error)> LookupAsync(Inode directory, string name) =>
        new((Lookup(directory, name), Errno.None));

    /// <summary>The entry's inode, or null; ramfs never needs I/O to answer.</summary>
    public Inode? Lookup(Inode directory, string name) =>
        Entries(directory).Entries.TryGetValue(name, out (Inode Inode, long Cookie) entry) ? entry.Inode : null;

    /// <summary>A new inode of <paramref name="type"/> owned by <paramref name="owner"/> (not yet linked anywhere).</summary>
    public Inode NewInode(SuperBlock superBlock, InodeType type, int mode, Credentials owner, Inode? directory, uint device)
    {
        var info = (RamSuperInfo)superBlock.FileSystemInfo!;
        IFileOperations fileOperations = type switch
        {
            InodeType.Regular => RamFileOperations.Instance,
            InodeType.Directory => DirectoryFileOperations.Instance,
            InodeType.Symlink => NoDeviceFileOperations.Instance,
            _ => _vfs.SpecialFileOperations(type),
        };
        long number = info.NextInodeNumber();
        Inode inode = Inode.Allocate(superBlock, number, type, mode, this, fileOperations);
        inode.Uid = owner.Uid;
        // A setgid directory passes its group on (and its setgid bit to subdirectories).
        inode.Gid = directory is not null && (directory.Mode & ModeBits.SetGid) != 0 ? directory.Gid : owner.Gid;
        inode.DeviceNumber = device;
        if (directory is not null && (directory.Mode & ModeBits.SetGid) != 0 && type == InodeType.Directory)
            inode.Mode |= ModeBits.SetGid;
        switch (type)
        {
            case InodeType.Regular:
                RamFileData? data = inode.TakeRecycledPrivate<RamFileData>();
                if (data is null)
                    data = new RamFileData();
                else
                    data.ChargedPages = 0;
                inode.Private = data;
                inode.CreateMapping(RamAddressSpaceOperations.Instance, 0).Unevictable = true;
                break;
            case InodeType.Directory:
                inode.Private = new RamDirectory();
                inode.LinkCount = 2;
                break;
        }
        info.Track(inode);
        return inode;
    }

    public ValueTask<(Inode? Inode, Errno Error)> CreateAsync(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device) =>
        new(Create(directory, name, type, mode, owner, device));

    /// <summary>Creates synchronously (ramfs needs no I/O; devfs populates its root this way).</summary>
    public (Inode Inode, Errno Error) Create(Inode directory, string name, InodeType type, int mode, Credentials owner, uint device)
    {
        Inode inode = NewInode(directory.SuperBlock, type, mode, owner, directory, device);
        Entries(directory).Add(name, inode);
        if (type == InodeType.Directory)
            directory.LinkCount++;
        directory.Touch();
        return (inode, Errno.None);
    }

    public ValueTask<(Inode? Inode, Errno Error)> SymlinkAsync(Inode directory, string name, string target, Credentials owner)
    {
        Inode inode = NewInode(directory.SuperBlock, InodeType.Symlink, ModeBits.Permissions, owner, directory, 0);
        inode.Private = target;
        inode.Size = target.Length;
        Entries(directory).Add(name, inode);
        directory.Touch();
        return new((inode, Errno.None));
    }

    public ValueTask<(string? Target, Errno Error)> ReadLinkAsync(Inode symlink) => new(((string)symlink.Private!, Errno.None));

    public ValueTask<Errno> LinkAsync(Inode directory, string name, Inode inode)
    {
        Entries(directory).Add(name, inode);
        inode.LinkCount++;
        inode.Touch(modified: false);
        directory.Touch();
        return new(Errno.None);
    }

    public ValueTask<Errno> UnlinkAsync(Inode directory, string name, Inode inode)
    {
        Entries(directory).Remove(name);
        DropLink(directory, inode);
        directory.Touch();
        return new(Errno.None);
    }

    public ValueTask<Errno> RenameAsync(Inode oldDirectory, string oldName, Inode newDirectory, string newName, Inode? replaced)
    {
        RamDirectory from = Entries(oldDirectory);
        Inode inode = from.Entries[oldName].Inode;
        from.Remove(oldName);
        if (replaced is not null)
        {
            Entries(newDirectory).Remove(newName);
            DropLink(newDirectory, replaced);
        }
        Entries(newDirectory).Add(newName, inode);
        if (inode.IsDirectory && oldDirectory != newDirectory)
        {
            oldDirectory.LinkCount--;
            newDirectory.LinkCount++;
        }
        inode.Touch(modified: false);
        oldDirectory.Touch();
        newDirectory.Touch();
        return new(Errno.None);
    }

    public ValueTask<(bool Empty, Errno Error)> IsEmptyAsync(Inode directory) => new((Entries(directory).Entries.Count == 0, Errno.None));

    public ValueTask<(int Count, Errno Error)> ReadDirectoryAsync(Inode directory, long position, List<DirectoryEntry> entries, int max)
    {
        var found = new List<(string Name, Inode Inode, long Cookie)>();
        foreach (KeyValuePair<string, (Inode Inode, long Cookie)> entry in Entries(directory).Entries)
        {
            if (entry.Value.Cookie >= position)
                found.Add((entry.Key, entry.Value.Inode, entry.Value.Cookie));
        }
        found.Sort((a, b) => a.Cookie.CompareTo(b.Cookie));
        int count = Math.Min(max, found.Count);
        for (int i = 0; i < count; i++)
            entries.Add(new DirectoryEntry(found[i].Name, found[i].Inode.Number, found[i].Inode.Type, found[i].Cookie + 1));
        return new((count, Errno.None));
    }

    public async ValueTask<Errno> SetSizeAsync(Inode inode, long size)
    {
        var data = (RamFileData)inode.Private!;
        var info = (RamSuperInfo)inode.SuperBlock.FileSystemInfo!;
        long keptPages = (size + CachePage.Size - 1) >> CachePage.Shift;
        if (keptPages < data.ChargedPages)
        {
            info.UsedBytes -= (data.ChargedPages - keptPages) * CachePage.Size;
            data.ChargedPages = keptPages;
        }
        await inode.SuperBlock.Cache.TruncateAsync(inode.Mapping!, size);
        inode.Blocks = data.ChargedPages * (CachePage.Size / 512);
        inode.Touch();
        return Errno.None;
    }

    private static void DropLink(Inode directory, Inode inode)
    {
        if (inode.IsDirectory)
        {
            inode.LinkCount = 0;
            directory.LinkCount--;
        }
        else
        {
            inode.LinkCount--;
        }
        inode.Touch(modified: false);
    }

    private static RamDirectory Entries(Inode directory) => (RamDirectory)directory.Private!;
}
