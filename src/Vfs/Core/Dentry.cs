using Hardware.Emulator.Collections;

namespace Hardware.Vfs;

/// <summary>
/// A directory entry in the dentry cache (struct dentry): a name in a parent, bound to an inode or negative (the
/// name is known not to exist). Children cached under it are found by name; unused leaves sit on the cache's LRU.
/// </summary>
public sealed class Dentry
{
    internal Dentry(string name, Dentry? parent, Inode? inode, SuperBlock superBlock)
    {
        Name = name;
        Parent = parent;
        Inode = inode;
        SuperBlock = superBlock;
    }

    /// <summary>d_name.</summary>
    public string Name { get; internal set; }

    /// <summary>d_parent (null only for a filesystem's root).</summary>
    public Dentry? Parent { get; internal set; }

    /// <summary>d_inode; null for a negative entry.</summary>
    public Inode? Inode { get; internal set; }

    /// <summary>d_sb.</summary>
    public SuperBlock SuperBlock { get; }

    public bool IsNegative => Inode is null;

    /// <summary>d_subdirs: cached children by name.</summary>
    internal Dictionary<string, Dentry>? Children { get; set; }

    public int CachedChildren => Children?.Count ?? 0;

    /// <summary>d_lockref: holders (open files, working directories, a superblock's root).</summary>
    public int ReferenceCount { get; internal set; }

    /// <summary>Mounts whose mount point this is (d_mounted): such a dentry is never evicted.</summary>
    public int MountCount { get; internal set; }

    /// <summary>Dropped from its parent (unlinked while in use): lookups no longer find it.</summary>
    public bool IsUnhashed { get; internal set; }

    /// <summary>Links of the dentry cache's LRU list (d_lru).</summary>
    internal ListLinks<Dentry> Lru;

    /// <summary>The path from the filesystem's root, for messages.</summary>
    public string FullName
    {
        get
        {
            if (Parent is null)
                return "/";
            string parent = Parent.FullName;
            return parent == "/" ? "/" + Name : parent + "/" + Name;
        }
    }

    public override string ToString() => $"dentry {FullName}{(IsNegative ? " (negative)" : "")}";
}
