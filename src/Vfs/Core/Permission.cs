namespace Hardware.Vfs;

/// <summary>The access wanted (MAY_READ / MAY_WRITE / MAY_EXEC), valued as the rwx bits.</summary>
[Flags]
public enum Access
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
}

/// <summary>POSIX permission checks (generic_permission, may_delete's sticky rule).</summary>
public static class Permission
{
    /// <summary>
    /// Owner bits for the owner, group bits for a member, other bits for the rest; root may do anything except
    /// execute a non-directory with no execute bit at all.
    /// </summary>
    public static bool MayAccess(Inode inode, Credentials credentials, Access wanted)
    {
        if (credentials.IsRoot)
            return (wanted & Access.Execute) == 0 || inode.Type == InodeType.Directory || (inode.Mode & 0x49) != 0;
        int bits;
        if (credentials.Uid == inode.Uid)
            bits = (inode.Mode >> 6) & 7;
        else if (credentials.InGroup(inode.Gid))
            bits = (inode.Mode >> 3) & 7;
        else
            bits = inode.Mode & 7;
        return ((Access)bits & wanted) == wanted;
    }

    /// <summary>In a sticky directory only root, the file's owner or the directory's owner may remove or rename an entry.</summary>
    public static bool MayDeleteFromSticky(Inode directory, Inode victim, Credentials credentials) =>
        (directory.Mode & ModeBits.Sticky) == 0 || credentials.IsRoot || credentials.Uid == victim.Uid || credentials.Uid == directory.Uid;

    /// <summary>chmod, utimens with explicit times: the owner or root.</summary>
    public static bool IsOwnerOrRoot(Inode inode, Credentials credentials) => credentials.IsRoot || credentials.Uid == inode.Uid;
}
