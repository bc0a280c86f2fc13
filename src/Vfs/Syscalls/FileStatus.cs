namespace Hardware.Vfs.Syscalls;

/// <summary>struct stat: what stat, lstat and fstat report about an inode. Times are ns of virtual time.</summary>
public readonly record struct FileStatus(string Device, long InodeNumber, int Mode, int LinkCount, int Uid, int Gid,
    uint DeviceNumber, long Size, int BlockSize, long Blocks, long AccessTimeNs, long ModifyTimeNs, long ChangeTimeNs)
{
    public InodeType Type => (InodeType)(Mode & ModeBits.TypeMask);

    /// <summary>The permission and special bits (07777).</summary>
    public int Permissions => Mode & ModeBits.All;

    public static FileStatus Of(Inode inode) => new(inode.SuperBlock.Id, inode.Number, inode.FullMode, inode.LinkCount, inode.Uid,
        inode.Gid, inode.DeviceNumber, inode.Size, inode.SuperBlock.BlockSize, inode.Blocks, inode.AccessTimeNs, inode.ModifyTimeNs,
        inode.ChangeTimeNs);
}
