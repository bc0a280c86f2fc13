using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

/// <summary>
/// The file syscalls of simulated processes, over one <see cref="VirtualFileSystem"/>. Every call validates at this
/// edge (descriptor, flags, path, permissions, read-only mounts) and then delegates to the inode's operations or the
/// open file's operations. Failures are errno values with a message naming the path or descriptor.
/// </summary>
public sealed partial class SystemCalls
{
    /// <summary>AT_FDCWD: a *at call's path is relative to the working directory.</summary>
    public const int AtWorkingDirectory = -100;

    public SystemCalls(VirtualFileSystem vfs) => Vfs = vfs;

    public VirtualFileSystem Vfs { get; }

    private PathWalker Walker => Vfs.Walker;

    private long Now => Vfs.RealTimeNs;

    /// <summary>umask(2): sets the creation mask and returns the previous one.</summary>
    public int Umask(Process process, int mask)
    {
        int previous = process.Umask;
        process.Umask = mask & ModeBits.Permissions;
        return previous;
    }

    /// <summary>chdir(2).</summary>
    public async ValueTask<VfsResult> ChdirAsync(Process process, string path)
    {
        VfsResult<VfsPath> target = await Walker.ResolveAsync(process, process.WorkingDirectory, path, followLast: true);
        if (!target.Ok)
            return target.Status;
        if (!target.Value.Inode!.IsDirectory)
            return VfsResult.Fail(Errno.ENOTDIR, $"{path}: not a directory");
        if (!Permission.MayAccess(target.Value.Inode, process.Credentials, Access.Execute))
            return VfsResult.Fail(Errno.EACCES, $"{path}: search permission denied");
        Vfs.SetWorkingDirectory(process, target.Value);
        return VfsResult.Success;
    }

    /// <summary>dup(2).</summary>
    public VfsResult<int> Dup(Process process, int fd) => process.Files.Duplicate(fd);

    /// <summary>dup2(2): a descriptor displaced from <paramref name="newFd"/> is closed.</summary>
    public async ValueTask<VfsResult<int>> Dup2Async(Process process, int oldFd, int newFd)
    {
        VfsResult<int> result = process.Files.Duplicate(oldFd, newFd, out File? displaced);
        if (displaced is not null)
            await Vfs.ReleaseFileAsync(displaced);
        return result;
    }

    /// <summary>close(2).</summary>
    public async ValueTask<VfsResult> CloseAsync(Process process, int fd)
    {
        File? file = process.Files.Remove(fd);
        if (file is null)
            return BadDescriptor(fd);
        await Vfs.ReleaseFileAsync(file);
        return VfsResult.Success;
    }

    private static VfsResult BadDescriptor(int fd) => VfsResult.Fail(Errno.EBADF, $"descriptor {fd} is not open");

    /// <summary>The directory a *at call starts from.</summary>
    private static VfsResult<VfsPath> StartDirectory(Process process, int directoryFd, string path)
    {
        if (directoryFd == AtWorkingDirectory || (path.Length > 0 && path[0] == '/'))
            return VfsResult<VfsPath>.Success(process.WorkingDirectory);
        File? file = process.Files.Get(directoryFd);
        if (file is null)
            return BadDescriptor(directoryFd);
        if (!file.Inode.IsDirectory)
            return VfsResult<VfsPath>.Fail(Errno.ENOTDIR, $"{path}: descriptor {directoryFd} is not a directory");
        return VfsResult<VfsPath>.Success(file.Path);
    }

    /// <summary>may_create: search and write permission on the directory, a writable mount.</summary>
    private static VfsResult MayCreate(Process process, VfsPath directory, string path)
    {
        if (directory.Mount.IsReadOnly)
            return VfsResult.Fail(Errno.EROFS, $"{path}: read-only filesystem");
        if (directory.Inode!.LinkCount == 0)
            return VfsResult.Fail(Errno.ENOENT, $"{path}: the directory was removed");
        if (!Permission.MayAccess(directory.Inode, process.Credentials, Access.Write | Access.Execute))
            return VfsResult.Fail(Errno.EACCES, $"{path}: write permission denied on {directory.Dentry.FullName}");
        return VfsResult.Success;
    }

    /// <summary>may_delete: search and write permission on the directory and the sticky-bit rule.</summary>
    private static VfsResult MayDelete(Process process, VfsPath directory, Inode victim, string path)
    {
        if (directory.Mount.IsReadOnly)
            return VfsResult.Fail(Errno.EROFS, $"{path}: read-only filesystem");
        if (!Permission.MayAccess(directory.Inode!, process.Credentials, Access.Write | Access.Execute))
            return VfsResult.Fail(Errno.EACCES, $"{path}: write permission denied on {directory.Dentry.FullName}");
        if (!Permission.MayDeleteFromSticky(directory.Inode!, victim, process.Credentials))
            return VfsResult.Fail(Errno.EPERM, $"{path}: sticky directory and not the owner");
        return VfsResult.Success;
    }
}
