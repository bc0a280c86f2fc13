namespace Hardware.Vfs;

/// <summary>A location in the mount tree (struct path): a mount and a dentry inside it.</summary>
public readonly record struct VfsPath(VfsMount Mount, Dentry Dentry)
{
    public Inode? Inode => Dentry.Inode;

    public override string ToString() => $"{Dentry.FullName} on {Mount}";
}
