namespace Hardware.Vfs;

/// <summary>
/// The mount tree (the mount hash): which mount covers a given (parent mount, dentry). A mount on a path that is
/// already a mount point covers the mount on top, so mounts stack and the walk always sees the topmost.
/// </summary>
public sealed class MountTree
{
    private readonly Dictionary<(VfsMount, Dentry), VfsMount> _hash = [];
    private readonly List<VfsMount> _mounts = [];

    /// <summary>The namespace root mount.</summary>
    public VfsMount? Root { get; private set; }

    /// <summary>Every mount, in mount order (as /proc/mounts lists them).</summary>
    public IReadOnlyList<VfsMount> Mounts => _mounts;

    /// <summary>The mount covering <paramref name="dentry"/> of <paramref name="mount"/>, or null.</summary>
    public VfsMount? Lookup(VfsMount mount, Dentry dentry) =>
        dentry.MountCount == 0 ? null : _hash.GetValueOrDefault((mount, dentry));

    /// <summary>Goes down through every mount stacked on <paramref name="path"/> (follow_down).</summary>
    public VfsPath FollowDown(VfsPath path)
    {
        while (Lookup(path.Mount, path.Dentry) is { } covering)
            path = new VfsPath(covering, covering.Root);
        return path;
    }

    internal VfsMount SetRoot(SuperBlock superBlock, MountFlags flags, string device)
    {
        if (Root is not null)
            throw new InvalidOperationException("the namespace already has a root mount");
        Root = new VfsMount(superBlock, superBlock.Root, flags, null, null, device);
        superBlock.MountCount++;
        _mounts.Add(Root);
        return Root;
    }

    /// <summary>kern_mount: a mount of <paramref name="superBlock"/> outside the tree (pipefs, sockfs), never busy for umount.</summary>
    internal static VfsMount Internal(SuperBlock superBlock, string device)
    {
        superBlock.MountCount++;
        return new VfsMount(superBlock, superBlock.Root, MountFlags.None, null, null, device);
    }

    internal VfsMount Attach(SuperBlock superBlock, MountFlags flags, string device, VfsPath at)
    {
        var mount = new VfsMount(superBlock, superBlock.Root, flags, at.Mount, at.Dentry, device);
        _hash[(at.Mount, at.Dentry)] = mount;
        at.Dentry.MountCount++;
        at.Mount.AddChild(mount);
        superBlock.MountCount++;
        _mounts.Add(mount);
        return mount;
    }

    internal void Detach(VfsMount mount)
    {
        VfsMount parent = mount.Parent!;
        _hash.Remove((parent, mount.MountPoint!));
        mount.MountPoint!.MountCount--;
        parent.RemoveChild(mount);
        mount.SuperBlock.MountCount--;
        _mounts.Remove(mount);
    }
}
