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
/// A resolved parent and its last component as a range of the path (the VFS's struct qstr points into the caller's
/// name the same way): a walk that finds a cached dentry never makes a string of the name; <see cref="ToName"/> makes
/// one when a new dentry or the filesystem needs it.
/// </summary>
internal readonly struct LastComponent(VfsPath parent, string path, int start, int length, bool trailingSlash)
{
    public VfsPath Parent { get; } = parent;

    /// <summary>The whole path as the caller gave it.</summary>
    public string Path { get; } = path;

    public int Start { get; } = start;

    public int Length { get; } = length;

    public bool TrailingSlash { get; } = trailingSlash;

    public ReadOnlySpan<char> Name => Path.AsSpan(Start, Length);

    /// <summary>The path named the walk's root itself ("/").</summary>
    public bool IsRoot => Length == 0;

    public bool IsDotOrDotDot => Name is "." or "..";

    /// <summary>The component as a string (the path itself when it is one bare name).</summary>
    public string ToName() => Start == 0 && Length == Path.Length ? Path : Path.Substring(Start, Length);

    public ParentAndName ToParentAndName() => new(Parent, ToName(), TrailingSlash);
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
    public async ValueTask<VfsResult<VfsPath>> ResolveAsync(Process process, VfsPath start, string path, bool followLast) =>
        (await ResolveAsync(process, start, path, followLast, links: 0)).Result;

    /// <summary>Resolves all but the last component; the last is returned as a name (it may not exist).</summary>
    public async ValueTask<VfsResult<ParentAndName>> ResolveParentAsync(Process process, VfsPath start, string path)
    {
        VfsResult<LastComponent> split = (await ResolveParentAsync(process, start, path, links: 0)).Result;
        return split.Ok ? VfsResult<ParentAndName>.Success(split.Value.ToParentAndName()) : split.Status;
    }

    /// <summary>As <see cref="ResolveParentAsync(Process, VfsPath, string)"/>, the last component left as a range of the path.</summary>
    internal async ValueTask<VfsResult<LastComponent>> ResolveLastComponentAsync(Process process, VfsPath start, string path) =>
        (await ResolveParentAsync(process, start, path, links: 0)).Result;

    /// <summary>The entry for <paramref name="name"/> in the directory <paramref name="parent"/> (possibly negative), mounts entered.</summary>
    public async ValueTask<VfsResult<VfsPath>> LookupChildAsync(VfsPath parent, string name)
    {
        VfsResult<Dentry> child = await _dentries.LookupAsync(parent.Dentry, name);
        if (!child.Ok)
            return child.Status;
        return VfsResult<VfsPath>.Success(_mounts.FollowDown(new VfsPath(parent.Mount, child.Value)));
    }

    /// <summary>
    /// The entry for the last component of <paramref name="last"/> (possibly negative), mounts entered: a cached
    /// dentry is found by the span, so only a miss makes a string of the name (the new dentry's name).
    /// </summary>
    internal ValueTask<VfsResult<VfsPath>> LookupChildAsync(in LastComponent last)
    {
        if (_dentries.TryGetCached(last.Parent.Dentry, last.Name, out Dentry cached))
            return new(VfsResult<VfsPath>.Success(_mounts.FollowDown(new VfsPath(last.Parent.Mount, cached))));
        return LookupChildAsync(last.Parent, last.ToName());
    }

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

    /// <summary>The walk's state across nested symlink resolutions: the symlinks followed so far.</summary>
    private async ValueTask<(VfsResult<VfsPath> Result, int Links)> ResolveAsync(Process process, VfsPath start, string path, bool followLast, int links)
    {
        (VfsResult<LastComponent> split, links) = await ResolveParentAsync(process, start, path, links);
        if (!split.Ok)
            return (split.Status, links);
        LastComponent last = split.Value;
        VfsPath parent = last.Parent;
        bool trailingSlash = last.TrailingSlash;
        if (last.IsRoot)
            return (VfsResult<VfsPath>.Success(parent), links);
        if (!Permission.MayAccess(parent.Inode!, process.Credentials, Access.Execute))
            return (VfsResult<VfsPath>.Fail(Errno.EACCES, $"{path}: search permission denied on {parent.Dentry.FullName}"), links);
        VfsPath result;
        if (last.Name is ".")
        {
            result = parent;
        }
        else if (last.Name is "..")
        {
            result = Up(process, parent);
        }
        else
        {
            VfsResult<VfsPath> child = await LookupChildAsync(last);
            if (!child.Ok)
                return (Failed(child, path), links);
            result = child.Value;
            if (result.Dentry.IsNegative)
                return (VfsResult<VfsPath>.Fail(Errno.ENOENT, $"{path}: no such file or directory"), links);
            if (result.Inode!.Type == InodeType.Symlink && (followLast || trailingSlash))
            {
                (VfsResult<VfsPath> target, links) = await FollowLinkAsync(process, parent, result, path, links);
                if (!target.Ok)
                    return (target, links);
                result = target.Value;
            }
        }
        if (trailingSlash && !result.Inode!.IsDirectory)
            return (VfsResult<VfsPath>.Fail(Errno.ENOTDIR, $"{path}: not a directory"), links);
        return (VfsResult<VfsPath>.Success(result), links);
    }

    private async ValueTask<(VfsResult<LastComponent> Result, int Links)> ResolveParentAsync(Process process, VfsPath start, string path, int links)
    {
        if (path.Length == 0)
            return (VfsResult<LastComponent>.Fail(Errno.ENOENT, "empty path"), links);
        if (path.Length >= PathMax)
            return (VfsResult<LastComponent>.Fail(Errno.ENAMETOOLONG, $"path of {path.Length} characters (PATH_MAX is {PathMax})"), links);
        VfsPath current = path[0] == '/' ? process.Root : start;
        int end = path.Length;
        while (end > 0 && path[end - 1] == '/')
            end--;
        bool trailingSlash = end < path.Length;
        if (end == 0)
            return (VfsResult<LastComponent>.Success(new LastComponent(current, path, 0, 0, trailingSlash)), links);
        int lastSlash = path.LastIndexOf('/', end - 1);
        int componentStart = lastSlash + 1;
        // Components of the prefix path[0..lastSlash], walked by index: a span cannot live across a disk wait.
        for (int first = 0; first < lastSlash;)
        {
            int slash = path.IndexOf('/', first, lastSlash - first);
            int stop = slash < 0 ? lastSlash : slash;
            if (stop > first)
            {
                (VfsResult<VfsPath> step, links) = await StepAsync(process, current, path, first, stop - first, links);
                if (!step.Ok)
                    return (step.Status, links);
                current = step.Value;
            }
            first = stop + 1;
        }
        if (!current.Inode!.IsDirectory)
            return (VfsResult<LastComponent>.Fail(Errno.ENOTDIR, $"{path}: {current.Dentry.FullName} is not a directory"), links);
        if (end - componentStart > NameMax)
            return (VfsResult<LastComponent>.Fail(Errno.ENAMETOOLONG, $"{path}: a component is longer than NAME_MAX ({NameMax})"), links);
        return (VfsResult<LastComponent>.Success(new LastComponent(current, path, componentStart, end - componentStart, trailingSlash)), links);
    }

    /// <summary>One intermediate component, path[start..start+length]: must name a searchable directory (after following symlinks).</summary>
    private async ValueTask<(VfsResult<VfsPath> Result, int Links)> StepAsync(Process process, VfsPath current, string path, int start, int length, int links)
    {
        if (length > NameMax)
            return (VfsResult<VfsPath>.Fail(Errno.ENAMETOOLONG, $"{path}: a component is longer than NAME_MAX ({NameMax})"), links);
        if (!current.Inode!.IsDirectory)
            return (VfsResult<VfsPath>.Fail(Errno.ENOTDIR, $"{path}: {current.Dentry.FullName} is not a directory"), links);
        if (!Permission.MayAccess(current.Inode, process.Credentials, Access.Execute))
            return (VfsResult<VfsPath>.Fail(Errno.EACCES, $"{path}: search permission denied on {current.Dentry.FullName}"), links);
        if (length == 1 && path[start] == '.')
            return (VfsResult<VfsPath>.Success(current), links);
        if (length == 2 && path[start] == '.' && path[start + 1] == '.')
            return (VfsResult<VfsPath>.Success(Up(process, current)), links);
        Dentry dentry;
        if (!_dentries.TryGetCached(current.Dentry, path.AsSpan(start, length), out dentry))
        {
            VfsResult<Dentry> looked = await _dentries.LookupAsync(current.Dentry, path.Substring(start, length));
            if (!looked.Ok)
                return (Failed(looked, path), links);
            dentry = looked.Value;
        }
        VfsPath child = _mounts.FollowDown(new VfsPath(current.Mount, dentry));
        if (child.Dentry.IsNegative)
            return (VfsResult<VfsPath>.Fail(Errno.ENOENT, $"{path}: {path.Substring(start, length)} does not exist"), links);
        if (child.Inode!.Type == InodeType.Symlink)
            return await FollowLinkAsync(process, current, child, path, links);
        return (VfsResult<VfsPath>.Success(child), links);
    }

    private async ValueTask<(VfsResult<VfsPath> Result, int Links)> FollowLinkAsync(Process process, VfsPath directory, VfsPath link, string path, int links)
    {
        if (++links > MaxSymlinkFollows)
            return (VfsResult<VfsPath>.Fail(Errno.ELOOP, $"{path}: more than {MaxSymlinkFollows} symbolic links"), links);
        Inode inode = link.Inode!;
        (string? target, Errno error) = await inode.Operations.ReadLinkAsync(inode);
        if (target is null)
            return (VfsResult<VfsPath>.Fail(error, inode.SuperBlock.Describe(error, $"{path}: reading the symbolic link {link.Dentry.FullName} failed")), links);
        (VfsResult<VfsPath> resolved, links) = await ResolveAsync(process, directory, target, followLast: true, links);
        if (!resolved.Ok && resolved.Errno is Errno.ELOOP or Errno.ENAMETOOLONG)
            return (VfsResult<VfsPath>.Fail(resolved.Errno, $"{path}: {resolved.Message}"), links);
        return (resolved, links);
    }

    /// <summary>A filesystem failure during the walk, with the path that was being resolved.</summary>
    private static VfsResult<VfsPath> Failed<T>(VfsResult<T> failure, string path) =>
        VfsResult<VfsPath>.Fail(failure.Errno, $"{path}: {failure.Message}");
}
