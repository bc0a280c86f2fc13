using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>stat(2) (follows a final symlink).</summary>
    public ValueTask<VfsResult<FileStatus>> StatAsync(Process process, string path) => StatPathAsync(process, path, followLast: true);

    /// <summary>lstat(2) (reports a final symlink itself).</summary>
    public ValueTask<VfsResult<FileStatus>> LstatAsync(Process process, string path) => StatPathAsync(process, path, followLast: false);

    /// <summary>fstat(2).</summary>
    public VfsResult<FileStatus> Fstat(Process process, int fd)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        return VfsResult<FileStatus>.Success(FileStatus.Of(file.Inode));
    }

    private async ValueTask<VfsResult<FileStatus>> StatPathAsync(Process process, string path, bool followLast)
    {
        VfsResult<VfsPath> found = await Walker.ResolveAsync(process, process.WorkingDirectory, path, followLast);
        if (!found.Ok)
            return found.Status;
        return VfsResult<FileStatus>.Success(FileStatus.Of(found.Value.Inode!));
    }

    /// <summary>chmod(2): owner or root (EPERM); a non-member of the file's group cannot set setgid (it is cleared).</summary>
    public async ValueTask<VfsResult> ChmodAsync(Process process, string path, int mode)
    {
        VfsResult<VfsPath> found = await ResolveForChangeAsync(process, path, followLast: true);
        if (!found.Ok)
            return found.Status;
        Inode inode = found.Value.Inode!;
        if (!Permission.IsOwnerOrRoot(inode, process.Credentials))
            return VfsResult.Fail(Errno.EPERM, $"{path}: not the owner");
        mode &= ModeBits.All;
        if (!process.Credentials.IsRoot && !process.Credentials.InGroup(inode.Gid))
            mode &= ~ModeBits.SetGid;
        inode.Mode = mode;
        inode.Touch(modified: false);
        return VfsResult.Success;
    }

    /// <summary>
    /// chown(2) (-1 leaves a field): only root changes the owner; the owner may change the group to one of its own.
    /// A non-directory loses setuid and setgid.
    /// </summary>
    public async ValueTask<VfsResult> ChownAsync(Process process, string path, int uid, int gid, bool followLast = true)
    {
        VfsResult<VfsPath> found = await ResolveForChangeAsync(process, path, followLast);
        if (!found.Ok)
            return found.Status;
        Inode inode = found.Value.Inode!;
        Credentials credentials = process.Credentials;
        if (!credentials.IsRoot)
        {
            if (uid != -1 && uid != inode.Uid)
                return VfsResult.Fail(Errno.EPERM, $"{path}: only root may give a file away");
            if (gid != -1 && gid != inode.Gid && (credentials.Uid != inode.Uid || !credentials.InGroup(gid)))
                return VfsResult.Fail(Errno.EPERM, $"{path}: not the owner or not a member of group {gid}");
            if (credentials.Uid != inode.Uid && (uid != -1 || gid != -1))
                return VfsResult.Fail(Errno.EPERM, $"{path}: not the owner");
        }
        if (uid != -1)
            inode.Uid = uid;
        if (gid != -1)
            inode.Gid = gid;
        if (!inode.IsDirectory)
            inode.Mode &= ~(ModeBits.SetUid | ModeBits.SetGid);
        inode.Touch(modified: false);
        return VfsResult.Success;
    }

    /// <summary>
    /// utimensat(2): null means now (UTIME_NOW). Setting both to now needs ownership or write permission (EACCES);
    /// explicit times need ownership (EPERM).
    /// </summary>
    public async ValueTask<VfsResult> UtimensAsync(Process process, string path, long? accessTimeNs, long? modifyTimeNs, bool followLast = true)
    {
        VfsResult<VfsPath> found = await ResolveForChangeAsync(process, path, followLast);
        if (!found.Ok)
            return found.Status;
        Inode inode = found.Value.Inode!;
        bool owner = Permission.IsOwnerOrRoot(inode, process.Credentials);
        if (accessTimeNs is null && modifyTimeNs is null)
        {
            if (!owner && !Permission.MayAccess(inode, process.Credentials, Access.Write))
                return VfsResult.Fail(Errno.EACCES, $"{path}: permission denied");
        }
        else if (!owner)
        {
            return VfsResult.Fail(Errno.EPERM, $"{path}: not the owner");
        }
        inode.AccessTimeNs = accessTimeNs ?? Now;
        inode.ModifyTimeNs = modifyTimeNs ?? Now;
        inode.Touch(modified: false);
        return VfsResult.Success;
    }

    /// <summary>truncate(2): needs write permission on the file.</summary>
    public async ValueTask<VfsResult> TruncateAsync(Process process, string path, long length)
    {
        VfsResult<VfsPath> found = await ResolveForChangeAsync(process, path, followLast: true);
        if (!found.Ok)
            return found.Status;
        Inode inode = found.Value.Inode!;
        if (inode.IsDirectory)
            return VfsResult.Fail(Errno.EISDIR, $"{path}: is a directory");
        if (!Permission.MayAccess(inode, process.Credentials, Access.Write))
            return VfsResult.Fail(Errno.EACCES, $"{path}: permission denied");
        return await SetSizeAsync(inode, length, path);
    }

    /// <summary>ftruncate(2): the descriptor must be open for writing (EINVAL otherwise, as Linux).</summary>
    public async ValueTask<VfsResult> FtruncateAsync(Process process, int fd, long length)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        if (!file.CanWrite)
            return VfsResult.Fail(Errno.EINVAL, $"descriptor {fd}: not open for writing");
        return await SetSizeAsync(file.Inode, length, file.Path.FullName);
    }

    private static async ValueTask<VfsResult> SetSizeAsync(Inode inode, long length, string path)
    {
        if (length < 0)
            return VfsResult.Fail(Errno.EINVAL, $"{path}: negative length {length}");
        if (inode.Type != InodeType.Regular)
            return VfsResult.Fail(inode.IsDirectory ? Errno.EISDIR : Errno.EINVAL, $"{path}: not a regular file");
        if (length > inode.SuperBlock.MaxFileSize)
            return VfsResult.Fail(Errno.EFBIG, $"{path}: {length} is past the maximum file size {inode.SuperBlock.MaxFileSize}");
        Errno error = await inode.Operations.SetSizeAsync(inode, length);
        return error == Errno.None ? VfsResult.Success : VfsResult.Fail(error, $"{path}: truncate to {length} failed");
    }

    /// <summary>statfs(2) of the filesystem holding <paramref name="path"/>.</summary>
    public async ValueTask<VfsResult<StatFs>> StatFsAsync(Process process, string path)
    {
        VfsResult<VfsPath> found = await Walker.ResolveAsync(process, process.WorkingDirectory, path, followLast: true);
        if (!found.Ok)
            return found.Status;
        SuperBlock superBlock = found.Value.Inode!.SuperBlock;
        StatFs figures = superBlock.Operations.StatFs(superBlock);
        return VfsResult<StatFs>.Success(figures with { Flags = figures.Flags | found.Value.Mount.Flags });
    }

    /// <summary>An existing object whose metadata is about to change: not through a read-only mount.</summary>
    private async ValueTask<VfsResult<VfsPath>> ResolveForChangeAsync(Process process, string path, bool followLast)
    {
        VfsResult<VfsPath> found = await Walker.ResolveAsync(process, process.WorkingDirectory, path, followLast);
        if (found.Ok && found.Value.Mount.IsReadOnly)
            return VfsResult<VfsPath>.Fail(Errno.EROFS, $"{path}: read-only filesystem");
        return found;
    }
}
