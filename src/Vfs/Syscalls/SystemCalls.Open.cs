using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>open(2).</summary>
    public ValueTask<VfsResult<int>> OpenAsync(Process process, string path, OpenFlags flags, int mode = 0x1B6) =>
        OpenAtAsync(process, AtWorkingDirectory, path, flags, mode);

    /// <summary>
    /// openat(2): O_CREAT creates a regular file (mode less the umask) if the name is free, O_EXCL demands that it
    /// was, O_TRUNC empties a regular file opened for writing, O_APPEND writes at the end, O_DIRECTORY demands a
    /// directory, O_NOFOLLOW refuses a final symlink (ELOOP). The descriptor is the lowest free one.
    /// </summary>
    public async ValueTask<VfsResult<int>> OpenAtAsync(Process process, int directoryFd, string path, OpenFlags flags, int mode = 0x1B6)
    {
        if ((flags & OpenFlags.AccessModeMask) == OpenFlags.AccessModeMask)
            return VfsResult<int>.Fail(Errno.EINVAL, $"{path}: invalid access mode");
        if (process.Files.OpenCount >= process.Files.Limit)
            return VfsResult<int>.Fail(Errno.EMFILE, $"{path}: {process.Files.Limit} descriptors already open");
        VfsResult<VfsPath> start = StartDirectory(process, directoryFd, path);
        if (!start.Ok)
            return start.Status;
        bool created = false;
        VfsResult<VfsPath> target;
        if ((flags & OpenFlags.Create) != 0)
            (target, created) = await OpenOrCreateAsync(process, start.Value, path, flags, mode);
        else
            target = await Walker.ResolveAsync(process, start.Value, path, followLast: (flags & OpenFlags.NoFollow) == 0);
        if (!target.Ok)
            return target.Status;
        VfsPath found = target.Value;
        Inode inode = found.Inode!;
        bool write = (flags & OpenFlags.AccessModeMask) != OpenFlags.ReadOnly;
        if (inode.Type == InodeType.Symlink)
            return VfsResult<int>.Fail(Errno.ELOOP, $"{path}: is a symbolic link (O_NOFOLLOW)");
        if ((flags & OpenFlags.Directory) != 0 && !inode.IsDirectory)
            return VfsResult<int>.Fail(Errno.ENOTDIR, $"{path}: not a directory (O_DIRECTORY)");
        if (inode.IsDirectory && (write || (flags & OpenFlags.Truncate) != 0 || created))
            return VfsResult<int>.Fail(Errno.EISDIR, $"{path}: is a directory");
        if (!created)
        {
            VfsResult access = MayOpen(process, found, flags, path);
            if (!access.Ok)
                return access;
        }
        if ((flags & OpenFlags.Truncate) != 0 && write && inode.Type == InodeType.Regular && !created && inode.Size > 0)
        {
            Errno truncated = await inode.Operations.SetSizeAsync(inode, 0);
            if (truncated != Errno.None)
                return VfsResult<int>.Fail(truncated, $"{path}: truncate failed");
        }
        VfsResult<File> file = Vfs.OpenFile(process, found, flags & ~OpenFlags.CloseOnExec);
        if (!file.Ok)
            return VfsResult<int>.Fail(file.Errno, $"{path}: {file.Message}");
        VfsResult completed = await file.Value.Operations.CompleteOpenAsync(file.Value);
        if (!completed.Ok)
        {
            await Vfs.ReleaseFileAsync(file.Value);
            return VfsResult<int>.Fail(completed.Errno, $"{path}: {completed.Message}");
        }
        VfsResult<int> fd = process.Files.Install(file.Value, (flags & OpenFlags.CloseOnExec) != 0);
        if (!fd.Ok)
            await Vfs.ReleaseFileAsync(file.Value);
        return fd;
    }

    private async ValueTask<(VfsResult<VfsPath> Target, bool Created)> OpenOrCreateAsync(Process process, VfsPath start, string path, OpenFlags flags, int mode)
    {
        VfsResult<LastComponent> split = await Walker.ResolveLastComponentAsync(process, start, path);
        if (!split.Ok)
            return (split.Status, false);
        VfsPath parent = split.Value.Parent;
        if (split.Value.IsRoot || split.Value.IsDotOrDotDot || split.Value.TrailingSlash)
            return (VfsResult<VfsPath>.Fail(Errno.EISDIR, $"{path}: is a directory"), false);
        if (!Permission.MayAccess(parent.Inode!, process.Credentials, Access.Execute))
            return (VfsResult<VfsPath>.Fail(Errno.EACCES, $"{path}: search permission denied on {parent.Dentry.FullName}"), false);
        VfsResult<VfsPath> looked = await Walker.LookupChildAsync(split.Value);
        if (!looked.Ok)
            return (VfsResult<VfsPath>.Fail(looked.Errno, $"{path}: {looked.Message}"), false);
        VfsPath child = looked.Value;
        if (!child.Dentry.IsNegative)
        {
            if ((flags & OpenFlags.Exclusive) != 0)
                return (VfsResult<VfsPath>.Fail(Errno.EEXIST, $"{path}: already exists (O_EXCL)"), false);
            if (child.Inode!.Type == InodeType.Symlink && (flags & OpenFlags.NoFollow) == 0)
                return (await Walker.ResolveAsync(process, start, path, followLast: true), false);
            return (VfsResult<VfsPath>.Success(child), false);
        }
        VfsResult allowed = MayCreate(process, parent, path);
        if (!allowed.Ok)
            return (allowed, false);
        Inode directory = parent.Inode!;
        // The negative dentry the lookup found or made carries the name: creating over it makes no new string.
        string name = child.Dentry.Name;
        (Inode? inode, Errno error) = await directory.Operations.CreateAsync(directory, name, InodeType.Regular,
            mode & ~process.Umask & ModeBits.All, process.Credentials, 0);
        if (inode is null)
            return (VfsResult<VfsPath>.Fail(error, directory.SuperBlock.Describe(error, $"{path}: create failed")), false);
        return (VfsResult<VfsPath>.Success(new VfsPath(parent.Mount, Vfs.Dentries.Add(parent.Dentry, name, inode))), true);
    }

    /// <summary>may_open: read/write permission for the access mode, no writing through a read-only mount.</summary>
    private static VfsResult MayOpen(Process process, VfsPath path, OpenFlags flags, string name)
    {
        Inode inode = path.Inode!;
        OpenFlags accessMode = flags & OpenFlags.AccessModeMask;
        Access wanted = accessMode switch
        {
            OpenFlags.WriteOnly => Access.Write,
            OpenFlags.ReadWrite => Access.Read | Access.Write,
            _ => Access.Read,
        };
        if ((flags & OpenFlags.Truncate) != 0)
            wanted |= Access.Write;
        if ((wanted & Access.Write) != 0 && path.Mount.IsReadOnly && inode.Type is InodeType.Regular or InodeType.Directory)
            return VfsResult.Fail(Errno.EROFS, $"{name}: read-only filesystem");
        if (!Permission.MayAccess(inode, process.Credentials, wanted))
            return VfsResult.Fail(Errno.EACCES, $"{name}: permission denied");
        return VfsResult.Success;
    }
}
