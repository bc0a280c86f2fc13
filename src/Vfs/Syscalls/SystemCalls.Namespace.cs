using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>mkdir(2): mode less the umask (permission and sticky bits kept).</summary>
    public ValueTask<VfsResult> MkdirAsync(Process process, string path, int mode = 0x1FF) =>
        MakeNodeAsync(process, path, InodeType.Directory, mode & (ModeBits.Permissions | ModeBits.Sticky), 0);

    /// <summary>mknod(2): regular files, FIFOs and sockets for anyone; char and block devices need root (EPERM).</summary>
    public ValueTask<VfsResult> MknodAsync(Process process, string path, InodeType type, int mode, uint device = 0)
    {
        if (type == InodeType.Directory || type == InodeType.Symlink)
            return new(VfsResult.Fail(Errno.EINVAL, $"{path}: mknod cannot make a {type}"));
        if (type is InodeType.CharDevice or InodeType.BlockDevice && !process.Credentials.IsRoot)
            return new(VfsResult.Fail(Errno.EPERM, $"{path}: only root may create device nodes"));
        return MakeNodeAsync(process, path, type, mode & ModeBits.All, device);
    }

    /// <summary>mkfifo(3): a FIFO node.</summary>
    public ValueTask<VfsResult> MkfifoAsync(Process process, string path, int mode = 0x1B6) => MknodAsync(process, path, InodeType.Fifo, mode);

    private async ValueTask<VfsResult> MakeNodeAsync(Process process, string path, InodeType type, int mode, uint device)
    {
        VfsResult<(VfsPath Parent, string Name)> free = await LookupFreeNameAsync(process, path, allowTrailingSlash: type == InodeType.Directory);
        if (!free.Ok)
            return free.Status;
        (VfsPath parent, string name) = free.Value;
        Inode directory = parent.Inode!;
        (Inode? inode, Errno error) = await directory.Operations.CreateAsync(directory, name, type, mode & ~process.Umask, process.Credentials, device);
        if (inode is null)
            return VfsResult.Fail(error, directory.SuperBlock.Describe(error, $"{path}: create failed"));
        Vfs.Dentries.Add(parent.Dentry, name, inode);
        return VfsResult.Success;
    }

    /// <summary>symlink(2): a link at <paramref name="linkPath"/> whose content is <paramref name="target"/> (not checked).</summary>
    public async ValueTask<VfsResult> SymlinkAsync(Process process, string target, string linkPath)
    {
        if (target.Length == 0)
            return VfsResult.Fail(Errno.ENOENT, $"{linkPath}: empty symlink target");
        if (target.Length >= PathWalker.PathMax)
            return VfsResult.Fail(Errno.ENAMETOOLONG, $"{linkPath}: target of {target.Length} characters");
        VfsResult<(VfsPath Parent, string Name)> free = await LookupFreeNameAsync(process, linkPath, allowTrailingSlash: false);
        if (!free.Ok)
            return free.Status;
        (VfsPath parent, string name) = free.Value;
        Inode directory = parent.Inode!;
        (Inode? inode, Errno error) = await directory.Operations.SymlinkAsync(directory, name, target, process.Credentials);
        if (inode is null)
            return VfsResult.Fail(error, directory.SuperBlock.Describe(error, $"{linkPath}: symlink failed"));
        Vfs.Dentries.Add(parent.Dentry, name, inode);
        return VfsResult.Success;
    }

    /// <summary>link(2): a new name for an existing non-directory on the same mount (the old name's symlink is not followed).</summary>
    public async ValueTask<VfsResult> LinkAsync(Process process, string oldPath, string newPath)
    {
        VfsResult<VfsPath> old = await Walker.ResolveAsync(process, process.WorkingDirectory, oldPath, followLast: false);
        if (!old.Ok)
            return old.Status;
        Inode inode = old.Value.Inode!;
        if (inode.IsDirectory)
            return VfsResult.Fail(Errno.EPERM, $"{oldPath}: cannot hard-link a directory");
        VfsResult<(VfsPath Parent, string Name)> free = await LookupFreeNameAsync(process, newPath, allowTrailingSlash: false);
        if (!free.Ok)
            return free.Status;
        (VfsPath parent, string name) = free.Value;
        if (parent.Mount != old.Value.Mount)
            return VfsResult.Fail(Errno.EXDEV, $"{newPath}: {oldPath} is on another mount");
        if (inode.LinkCount == 0)
            return VfsResult.Fail(Errno.ENOENT, $"{oldPath}: was removed");
        Inode directory = parent.Inode!;
        Errno error = await directory.Operations.LinkAsync(directory, name, inode);
        if (error != Errno.None)
            return VfsResult.Fail(error, directory.SuperBlock.Describe(error, $"{newPath}: link failed"));
        Vfs.Dentries.Add(parent.Dentry, name, inode);
        return VfsResult.Success;
    }

    /// <summary>readlink(2): the target of the symlink at <paramref name="path"/>; EINVAL for anything else.</summary>
    public async ValueTask<VfsResult<string>> ReadLinkAsync(Process process, string path)
    {
        VfsResult<VfsPath> link = await Walker.ResolveAsync(process, process.WorkingDirectory, path, followLast: false);
        if (!link.Ok)
            return link.Status;
        Inode inode = link.Value.Inode!;
        if (inode.Type != InodeType.Symlink)
            return VfsResult<string>.Fail(Errno.EINVAL, $"{path}: not a symbolic link");
        (string? target, Errno error) = await inode.Operations.ReadLinkAsync(inode);
        return target is null ? VfsResult<string>.Fail(error, inode.SuperBlock.Describe(error, $"{path}: reading the link failed")) : VfsResult<string>.Success(target);
    }

    /// <summary>unlink(2): removes a non-directory's name; the inode lives while open files hold it.</summary>
    public async ValueTask<VfsResult> UnlinkAsync(Process process, string path)
    {
        VfsResult<(VfsPath Parent, Dentry Victim)> found = await LookupVictimAsync(process, path);
        if (!found.Ok)
            return found.Status;
        (VfsPath parent, Dentry victim) = found.Value;
        Inode inode = victim.Inode!;
        if (inode.IsDirectory)
            return VfsResult.Fail(Errno.EISDIR, $"{path}: is a directory");
        if (path.EndsWith('/'))
            return VfsResult.Fail(Errno.ENOTDIR, $"{path}: not a directory");
        return await RemoveAsync(process, parent, victim, path);
    }

    /// <summary>rmdir(2): removes an empty directory that is not a mount point.</summary>
    public async ValueTask<VfsResult> RmdirAsync(Process process, string path)
    {
        VfsResult<ParentAndName> split = await Walker.ResolveParentAsync(process, process.WorkingDirectory, path);
        if (!split.Ok)
            return split.Status;
        if (split.Value.IsRoot)
            return VfsResult.Fail(Errno.EBUSY, $"{path}: is the root");
        if (split.Value.Name == ".")
            return VfsResult.Fail(Errno.EINVAL, $"{path}: cannot remove '.'");
        if (split.Value.Name == "..")
            return VfsResult.Fail(Errno.ENOTEMPTY, $"{path}: cannot remove '..'");
        VfsResult<(VfsPath Parent, Dentry Victim)> found = await LookupVictimAsync(process, path);
        if (!found.Ok)
            return found.Status;
        (VfsPath parent, Dentry victim) = found.Value;
        Inode inode = victim.Inode!;
        if (!inode.IsDirectory)
            return VfsResult.Fail(Errno.ENOTDIR, $"{path}: not a directory");
        (bool empty, Errno emptyError) = await inode.Operations.IsEmptyAsync(inode);
        if (emptyError != Errno.None)
            return VfsResult.Fail(emptyError, inode.SuperBlock.Describe(emptyError, $"{path}: reading the directory failed"));
        if (!empty)
            return VfsResult.Fail(Errno.ENOTEMPTY, $"{path}: directory not empty");
        return await RemoveAsync(process, parent, victim, path);
    }

    private async ValueTask<VfsResult> RemoveAsync(Process process, VfsPath parent, Dentry victim, string path)
    {
        Inode inode = victim.Inode!;
        if (victim.MountCount > 0)
            return VfsResult.Fail(Errno.EBUSY, $"{path}: is a mount point");
        VfsResult allowed = MayDelete(process, parent, inode, path);
        if (!allowed.Ok)
            return allowed;
        Inode directory = parent.Inode!;
        Errno error = await directory.Operations.UnlinkAsync(directory, victim.Name, inode);
        if (error != Errno.None)
            return VfsResult.Fail(error, directory.SuperBlock.Describe(error, $"{path}: remove failed"));
        Vfs.Dentries.Delete(victim);
        await Vfs.ReleaseIfUnusedAsync(inode);
        return VfsResult.Success;
    }

    /// <summary>
    /// rename(2) / renameat2 with RENAME_NOREPLACE: within one mount (EXDEV otherwise); replaces a file by a file or
    /// an empty directory by a directory; a directory cannot move under itself (EINVAL).
    /// </summary>
    public async ValueTask<VfsResult> RenameAsync(Process process, string oldPath, string newPath, RenameFlags flags = RenameFlags.None)
    {
        VfsResult<ParentAndName> oldSplit = await Walker.ResolveParentAsync(process, process.WorkingDirectory, oldPath);
        if (!oldSplit.Ok)
            return oldSplit.Status;
        VfsResult<ParentAndName> newSplit = await Walker.ResolveParentAsync(process, process.WorkingDirectory, newPath);
        if (!newSplit.Ok)
            return newSplit.Status;
        if (oldSplit.Value.IsRoot || oldSplit.Value.IsDotOrDotDot || newSplit.Value.IsRoot || newSplit.Value.IsDotOrDotDot)
            return VfsResult.Fail(Errno.EBUSY, $"{oldPath} -> {newPath}: cannot rename . .. or /");
        VfsPath oldParent = oldSplit.Value.Parent;
        VfsPath newParent = newSplit.Value.Parent;
        foreach (VfsPath directory in (ReadOnlySpan<VfsPath>)[oldParent, newParent])
        {
            if (!Permission.MayAccess(directory.Inode!, process.Credentials, Access.Execute))
                return VfsResult.Fail(Errno.EACCES, $"{oldPath} -> {newPath}: search permission denied on {directory.Dentry.FullName}");
        }
        VfsResult<Dentry> oldLookup = await Vfs.Dentries.LookupAsync(oldParent.Dentry, oldSplit.Value.Name);
        if (!oldLookup.Ok)
            return VfsResult.Fail(oldLookup.Errno, $"{oldPath}: {oldLookup.Message}");
        Dentry old = oldLookup.Value;
        if (old.IsNegative)
            return VfsResult.Fail(Errno.ENOENT, $"{oldPath}: no such file or directory");
        if (oldParent.Mount != newParent.Mount)
            return VfsResult.Fail(Errno.EXDEV, $"{oldPath} -> {newPath}: across mounts");
        VfsResult<Dentry> targetLookup = await Vfs.Dentries.LookupAsync(newParent.Dentry, newSplit.Value.Name);
        if (!targetLookup.Ok)
            return VfsResult.Fail(targetLookup.Errno, $"{newPath}: {targetLookup.Message}");
        Dentry target = targetLookup.Value;
        Inode inode = old.Inode!;
        Inode? replaced = target.Inode;
        if (!inode.IsDirectory && (oldSplit.Value.TrailingSlash || newSplit.Value.TrailingSlash))
            return VfsResult.Fail(Errno.ENOTDIR, $"{oldPath} -> {newPath}: trailing slash on a non-directory");
        if (replaced is not null && (flags & RenameFlags.NoReplace) != 0)
            return VfsResult.Fail(Errno.EEXIST, $"{newPath}: exists (RENAME_NOREPLACE)");
        if (replaced == inode)
            return VfsResult.Success;
        if (replaced is not null)
        {
            if (inode.IsDirectory && !replaced.IsDirectory)
                return VfsResult.Fail(Errno.ENOTDIR, $"{newPath}: not a directory");
            if (!inode.IsDirectory && replaced.IsDirectory)
                return VfsResult.Fail(Errno.EISDIR, $"{newPath}: is a directory");
            if (replaced.IsDirectory)
            {
                (bool empty, Errno emptyError) = await replaced.Operations.IsEmptyAsync(replaced);
                if (emptyError != Errno.None)
                    return VfsResult.Fail(emptyError, replaced.SuperBlock.Describe(emptyError, $"{newPath}: reading the directory failed"));
                if (!empty)
                    return VfsResult.Fail(Errno.ENOTEMPTY, $"{newPath}: directory not empty");
            }
        }
        if (inode.IsDirectory && IsAncestor(old, newParent.Dentry))
            return VfsResult.Fail(Errno.EINVAL, $"{oldPath} -> {newPath}: a directory cannot move under itself");
        if (old.MountCount > 0 || target.MountCount > 0)
            return VfsResult.Fail(Errno.EBUSY, $"{oldPath} -> {newPath}: a mount point");
        VfsResult allowed = MayDelete(process, oldParent, inode, oldPath);
        if (!allowed.Ok)
            return allowed;
        allowed = replaced is null ? MayCreate(process, newParent, newPath) : MayDelete(process, newParent, replaced, newPath);
        if (!allowed.Ok)
            return allowed;
        if (inode.IsDirectory && oldParent.Dentry != newParent.Dentry && !Permission.MayAccess(inode, process.Credentials, Access.Write))
            return VfsResult.Fail(Errno.EACCES, $"{oldPath}: moving a directory rewrites its '..'");
        Inode oldDirectory = oldParent.Inode!;
        Errno error = await oldDirectory.Operations.RenameAsync(oldDirectory, old.Name, newParent.Inode!, target.Name, replaced);
        if (error != Errno.None)
            return VfsResult.Fail(error, oldDirectory.SuperBlock.Describe(error, $"{oldPath} -> {newPath}: rename failed"));
        Vfs.Dentries.Move(old, newParent.Dentry, newSplit.Value.Name);
        if (replaced is not null)
            await Vfs.ReleaseIfUnusedAsync(replaced);
        return VfsResult.Success;
    }

    /// <summary>getdents(2): up to <paramref name="max"/> entries from the directory position (. and .. first).</summary>
    public async ValueTask<VfsResult<IReadOnlyList<DirectoryEntry>>> GetDirectoryEntriesAsync(Process process, int fd, int max = 128)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        Inode directory = file.Inode;
        if (!directory.IsDirectory)
            return VfsResult<IReadOnlyList<DirectoryEntry>>.Fail(Errno.ENOTDIR, $"descriptor {fd}: not a directory");
        if (max < 1)
            return VfsResult<IReadOnlyList<DirectoryEntry>>.Fail(Errno.EINVAL, $"descriptor {fd}: room for no entry");
        var entries = new List<DirectoryEntry>();
        if (directory.LinkCount == 0)
            return VfsResult<IReadOnlyList<DirectoryEntry>>.Success(entries);
        if (file.Position == 0 && entries.Count < max)
            entries.Add(new DirectoryEntry(".", directory.Number, InodeType.Directory, 1));
        if (file.Position <= 1 && entries.Count < max)
        {
            Inode parent = Walker.Up(process, file.Path).Inode!;
            entries.Add(new DirectoryEntry("..", parent.Number, InodeType.Directory, 2));
        }
        long position = Math.Max(2, file.Position);
        if (entries.Count < max)
        {
            (_, Errno error) = await directory.Operations.ReadDirectoryAsync(directory, position, entries, max - entries.Count);
            if (error != Errno.None && entries.Count == 0)
                return VfsResult<IReadOnlyList<DirectoryEntry>>.Fail(error, directory.SuperBlock.Describe(error, $"{file.Path.FullName}: reading the directory failed"));
        }
        if (entries.Count > 0)
            file.Position = entries[^1].NextPosition;
        directory.AccessTimeNs = Now;
        return VfsResult<IReadOnlyList<DirectoryEntry>>.Success(entries);
    }

    private static bool IsAncestor(Dentry ancestor, Dentry dentry)
    {
        for (Dentry? d = dentry; d is not null; d = d.Parent)
        {
            if (d == ancestor)
                return true;
        }
        return false;
    }

    /// <summary>The parent directory and a free last name for creating something (EEXIST if taken).</summary>
    private async ValueTask<VfsResult<(VfsPath Parent, string Name)>> LookupFreeNameAsync(Process process, string path, bool allowTrailingSlash)
    {
        VfsResult<ParentAndName> split = await Walker.ResolveParentAsync(process, process.WorkingDirectory, path);
        if (!split.Ok)
            return split.Status;
        (VfsPath parent, string name, bool trailingSlash) = split.Value;
        if (split.Value.IsRoot || split.Value.IsDotOrDotDot)
            return VfsResult<(VfsPath, string)>.Fail(Errno.EEXIST, $"{path}: exists");
        if (!Permission.MayAccess(parent.Inode!, process.Credentials, Access.Execute))
            return VfsResult<(VfsPath, string)>.Fail(Errno.EACCES, $"{path}: search permission denied on {parent.Dentry.FullName}");
        VfsResult<Dentry> existing = await Vfs.Dentries.LookupAsync(parent.Dentry, name);
        if (!existing.Ok)
            return VfsResult<(VfsPath, string)>.Fail(existing.Errno, $"{path}: {existing.Message}");
        if (!existing.Value.IsNegative)
            return VfsResult<(VfsPath, string)>.Fail(Errno.EEXIST, $"{path}: exists");
        if (trailingSlash && !allowTrailingSlash)
            return VfsResult<(VfsPath, string)>.Fail(Errno.ENOENT, $"{path}: trailing slash names a directory that does not exist");
        VfsResult allowed = MayCreate(process, parent, path);
        if (!allowed.Ok)
            return allowed;
        return VfsResult<(VfsPath, string)>.Success((parent, name));
    }

    /// <summary>The parent and the (positive) entry to remove; the last component must be a plain name.</summary>
    private async ValueTask<VfsResult<(VfsPath Parent, Dentry Victim)>> LookupVictimAsync(Process process, string path)
    {
        VfsResult<LastComponent> split = await Walker.ResolveLastComponentAsync(process, process.WorkingDirectory, path);
        if (!split.Ok)
            return split.Status;
        VfsPath parent = split.Value.Parent;
        if (split.Value.IsRoot)
            return VfsResult<(VfsPath, Dentry)>.Fail(Errno.EISDIR, $"{path}: is the root");
        if (split.Value.IsDotOrDotDot)
            return VfsResult<(VfsPath, Dentry)>.Fail(Errno.EISDIR, $"{path}: is a directory");
        if (!Permission.MayAccess(parent.Inode!, process.Credentials, Access.Execute))
            return VfsResult<(VfsPath, Dentry)>.Fail(Errno.EACCES, $"{path}: search permission denied on {parent.Dentry.FullName}");
        Dentry victim;
        if (!Vfs.Dentries.TryGetCached(parent.Dentry, split.Value.Name, out victim))
        {
            VfsResult<Dentry> looked = await Vfs.Dentries.LookupAsync(parent.Dentry, split.Value.ToName());
            if (!looked.Ok)
                return VfsResult<(VfsPath, Dentry)>.Fail(looked.Errno, $"{path}: {looked.Message}");
            victim = looked.Value;
        }
        if (victim.IsNegative)
            return VfsResult<(VfsPath, Dentry)>.Fail(Errno.ENOENT, $"{path}: no such file or directory");
        return VfsResult<(VfsPath, Dentry)>.Success((parent, victim));
    }
}
