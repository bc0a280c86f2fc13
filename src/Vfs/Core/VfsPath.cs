namespace Hardware.Vfs;

/// <summary>A location in the mount tree (struct path): a mount and a dentry inside it.</summary>
public readonly record struct VfsPath(VfsMount Mount, Dentry Dentry)
{
    public Inode? Inode => Dentry.Inode;

    /// <summary>The path from the namespace root, through the mount points above (d_path), for messages.</summary>
    public string FullName
    {
        get
        {
            string inside = Dentry.FullName;
            if (Mount.Parent is null || Mount.MountPoint is null)
                return inside;
            string above = new VfsPath(Mount.Parent, Mount.MountPoint).FullName;
            return inside == "/" ? above : above == "/" ? inside : above + inside;
        }
    }

    public override string ToString() => $"{Dentry.FullName} on {Mount}";
}
