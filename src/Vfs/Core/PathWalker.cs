using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>A path split into the directory that holds its last component and that component (for create, unlink, rename).</summary>
public readonly record struct ParentAndName(VfsPath Parent, string Name, bool TrailingSlash)
{
    /// <summary>The path named the walk's root itself ("/").</summary>
    public bool IsRoot => Name.Length == 0;

    public bool IsDotOrDotDot => Name is "." or "..";
}

/// <summary>
/// Path resolution (namei): absolute paths from the process's root, relative ones from a starting directory;
/// "." and ".." (".." leaves a mount through its mount point and never climbs above the process root); mounts are
/// entered on the way down; symlinks are followed, at most 40 in one resolution (ELOOP); a trailing slash demands a
/// directory; components over NAME_MAX and paths of PATH_MAX or more give ENAMETOOLONG. Every error names the path.
/// </summary>
public sealed class PathWalker
{
    public const int NameMax = 255;
    public const int PathMax = 4096;
    public const int MaxSymlinkFollows = 40;

    private readonly DentryCache _dentries;
    private readonly MountTree _mounts;

    public PathWalker(DentryCache dentries, MountTree mounts)
    {
        _dentries = dentries;
        _mounts = mounts;
    }

    /// <summary>Resolves <paramref name="path"/> to an existing object; the last symlink is followed when <paramref name="followLast"/>.</summary>
    public VfsResult<VfsPath> Resolve(Process process, VfsPath start, string path, bool followLast)
    {
        int links = 0;
        return Resolve(process, start, path, followLast, ref links);
    }

    /// <summary>Resolves all but the last component; the last is returned as a name (it may not exist).</summary>
    public VfsResult<ParentAndName> ResolveParent(Process process, VfsPath start, string path)
    {
        int links = 0;
        return ResolveParent(process, start, path, ref links);
    }

    /// <summary>The entry for <paramref name="name"/> in the directory <paramref name="parent"/> (possibly negative), mounts entered.</summary>
    public VfsPath LookupChild(VfsPath parent, string name) => _mounts.FollowDown(new VfsPath(parent.Mount, _dentries.Lookup(parent.Dentry, name)));

    /// <summary>".." of <paramref name="path"/>: the process root stays put; a mount root goes to its mount point first.</summary>
    public VfsPath Up(Process process, VfsPath path)
    {
        if (IsSame(path, process.Root))
            return path;
        while (path.Dentry == path.Mount.Root && path.Mount.Parent is not null)
            path = new VfsPath(path.Mount.Parent, path.Mount.MountPoint!);
        if (path.Dentry.Parent is not null && path.Dentry != path.Mount.Root)
            path = new VfsPath(path.Mount, path.Dentry.Parent);
        return _mounts.FollowDown(path);
    }

    private static bool IsSame(VfsPath a, VfsPath b) => a.Mount == b.Mount && a.Dentry == b.Dentry;

    private VfsResult<VfsPath> Resolve(Process process, VfsPath start, string path, bool followLast, ref int links)
    {
        VfsResult<ParentAndName> split = ResolveParent(process, start, path, ref links);
        if (!split.Ok)
            return split.Status;
        (VfsPath parent, string name, bool trailingSlash) = split.Value;
        if (name.Length == 0)
            return VfsResult<VfsPath>.Success(parent);
        if (!Permission.MayAccess(parent.Inode!, process.Credentials, Access.Execute))
            return VfsResult<VfsPath>.Fail(Errno.EACCES, $"{path}: search permission denied on {parent.Dentry.FullName}");
        VfsPath result;
        if (name == ".")
        {
            result = parent;
        }
        else if (name == "..")
        {
            result = Up(process, parent);
        }
        else
        {
            result = LookupChild(parent, name);
            if (result.Dentry.IsNegative)
                return VfsResult<VfsPath>.Fail(Errno.ENOENT, $"{path}: no such file or directory");
            if (result.Inode!.Type == InodeType.Symlink && (followLast || trailingSlash))
            {
                VfsResult<VfsPath> target = FollowLink(process, parent, result, path, ref links);
                if (!target.Ok)
                    return target;
                result = target.Value;
            }
        }
        if (trailingSlash && !result.Inode!.IsDirectory)
            return VfsResult<VfsPath>.Fail(Errno.ENOTDIR, $"{path}: not a directory");
        return VfsResult<VfsPath>.Success(result);
    }

    private VfsResult<ParentAndName> ResolveParent(Process process, VfsPath start, string path, ref int links)
    {
        if (path.Length == 0)
            return VfsResult<ParentAndName>.Fail(Errno.ENOENT, "empty path");
        if (path.Length >= PathMax)
            return VfsResult<ParentAndName>.Fail(Errno.ENAMETOOLONG, $"path of {path.Length} characters (PATH_MAX is {PathMax})");
        VfsPath current = path[0] == '/' ? process.Root : start;
        int end = path.Length;
        while (end > 0 && path[end - 1] == '/')
            end--;
        bool trailingSlash = end < path.Length;
        if (end == 0)
            return VfsResult<ParentAndName>.Success(new ParentAndName(current, "", trailingSlash));
        int lastSlash = path.LastIndexOf('/', end - 1);
        int componentStart = lastSlash + 1;
        ReadOnlySpan<char> prefix = lastSlash < 0 ? [] : path.AsSpan(0, lastSlash);
        while (prefix.Length > 0)
        {
            int slash = prefix.IndexOf('/');
            ReadOnlySpan<char> component = slash < 0 ? prefix : prefix[..slash];
            prefix = slash < 0 ? [] : prefix[(slash + 1)..];
            if (component.Length == 0)
                continue;
            VfsResult<VfsPath> step = Step(process, current, component, path, ref links);
            if (!step.Ok)
                return step.Status;
            current = step.Value;
        }
        if (!current.Inode!.IsDirectory)
            return VfsResult<ParentAndName>.Fail(Errno.ENOTDIR, $"{path}: {current.Dentry.FullName} is not a directory");
        if (end - componentStart > NameMax)
            return VfsResult<ParentAndName>.Fail(Errno.ENAMETOOLONG, $"{path}: a component is longer than NAME_MAX ({NameMax})");
        return VfsResult<ParentAndName>.Success(new ParentAndName(current, path[componentStart..end], trailingSlash));
    }

    /// <summary>One intermediate component: must name a searchable directory (after following symlinks).</summary>
    private VfsResult<VfsPath> Step(Process process, VfsPath current, ReadOnlySpan<char> component, string path, ref int links)
    {
        if (component.Length > NameMax)
            return VfsResult<VfsPath>.Fail(Errno.ENAMETOOLONG, $"{path}: a component is longer than NAME_MAX ({NameMax})");
        if (!current.Inode!.IsDirectory)
            return VfsResult<VfsPath>.Fail(Errno.ENOTDIR, $"{path}: {current.Dentry.FullName} is not a directory");
        if (!Permission.MayAccess(current.Inode, process.Credentials, Access.Execute))
            return VfsResult<VfsPath>.Fail(Errno.EACCES, $"{path}: search permission denied on {current.Dentry.FullName}");
        if (component is ".")
            return VfsResult<VfsPath>.Success(current);
        if (component is "..")
            return VfsResult<VfsPath>.Success(Up(process, current));
        VfsPath child = _mounts.FollowDown(new VfsPath(current.Mount, _dentries.Lookup(current.Dentry, component)));
        if (child.Dentry.IsNegative)
            return VfsResult<VfsPath>.Fail(Errno.ENOENT, $"{path}: {component} does not exist");
        if (child.Inode!.Type == InodeType.Symlink)
            return FollowLink(process, current, child, path, ref links);
        return VfsResult<VfsPath>.Success(child);
    }

    private VfsResult<VfsPath> FollowLink(Process process, VfsPath directory, VfsPath link, string path, ref int links)
    {
        if (++links > MaxSymlinkFollows)
            return VfsResult<VfsPath>.Fail(Errno.ELOOP, $"{path}: more than {MaxSymlinkFollows} symbolic links");
        Inode inode = link.Inode!;
        string target = inode.Operations.ReadLink(inode);
        VfsResult<VfsPath> resolved = Resolve(process, directory, target, followLast: true, ref links);
        if (!resolved.Ok && resolved.Errno is Errno.ELOOP or Errno.ENAMETOOLONG)
            return VfsResult<VfsPath>.Fail(resolved.Errno, $"{path}: {resolved.Message}");
        return resolved;
    }
}
