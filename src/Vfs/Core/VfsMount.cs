namespace Hardware.Vfs;

/// <summary>
/// A mount (struct vfsmount / mount): a superblock's tree grafted at a mount point dentry of a parent mount.
/// </summary>
public sealed class VfsMount
{
    private readonly List<VfsMount> _children = [];

    internal VfsMount(SuperBlock superBlock, Dentry root, MountFlags flags, VfsMount? parent, Dentry? mountPoint, string device)
    {
        SuperBlock = superBlock;
        Root = root;
        Flags = flags;
        Parent = parent;
        MountPoint = mountPoint;
        DeviceName = device;
    }

    /// <summary>mnt_sb.</summary>
    public SuperBlock SuperBlock { get; }

    /// <summary>mnt_root: the dentry of the superblock's tree this mount shows.</summary>
    public Dentry Root { get; }

    /// <summary>mnt_flags (per mount: a read-only bind of a writable superblock is read-only here).</summary>
    public MountFlags Flags { get; }

    /// <summary>mnt_parent (null for the namespace root).</summary>
    public VfsMount? Parent { get; }

    /// <summary>mnt_mountpoint: the dentry in the parent this mount covers.</summary>
    public Dentry? MountPoint { get; }

    /// <summary>mnt_devname: the source as given to mount.</summary>
    public string DeviceName { get; }

    public IReadOnlyList<VfsMount> Children => _children;

    /// <summary>Holders inside this mount (open files, working directories): umount refuses with EBUSY while any.</summary>
    public int ReferenceCount { get; internal set; }

    public bool IsReadOnly => (Flags & MountFlags.ReadOnly) != 0 || SuperBlock.IsReadOnly;

    internal void AddChild(VfsMount child) => _children.Add(child);

    internal void RemoveChild(VfsMount child) => _children.Remove(child);

    /// <summary>Where this mount sits in the namespace, for messages.</summary>
    public string MountPath
    {
        get
        {
            if (Parent is null || MountPoint is null)
                return "/";
            string parentPath = Parent.MountPath;
            string inParent = MountPoint.FullName;
            if (parentPath == "/")
                return inParent;
            return inParent == "/" ? parentPath : parentPath + inParent;
        }
    }

    public override string ToString() => $"{DeviceName} on {MountPath} type {SuperBlock.Type.Name}";
}
