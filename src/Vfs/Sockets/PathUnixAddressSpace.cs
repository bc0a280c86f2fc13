using Hardware.BlockLayer;

namespace Hardware.Vfs.Sockets;

/// <summary>
/// AF_UNIX addresses as socket inodes at paths, for one caller: bind creates the inode through the path walk (mode
/// 0777 less the umask), connect walks to it and needs write permission on it. The inode outlives the socket until it
/// is unlinked; once the socket closes, connecting to it is refused. <see cref="LastFailure"/> names the path.
/// </summary>
public sealed class PathUnixAddressSpace : IUnixAddressSpace
{
    private readonly VirtualFileSystem _vfs;
    private readonly Process _process;
    private Inode? _boundInode;

    public PathUnixAddressSpace(VirtualFileSystem vfs, Process process)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        ArgumentNullException.ThrowIfNull(process);
        _vfs = vfs;
        _process = process;
    }

    /// <summary>Why the last Bind or Lookup failed, with the errno the syscall should give.</summary>
    public VfsResult LastFailure { get; private set; }

    public Errno Bind(string address, UnixSocket socket)
    {
        VfsResult<ParentAndName> split = _vfs.Walker.ResolveParent(_process, _process.WorkingDirectory, address);
        if (!split.Ok)
            return Fail(split.Errno, split.Message!);
        (VfsPath parent, string name, bool trailingSlash) = split.Value;
        if (split.Value.IsRoot || split.Value.IsDotOrDotDot || trailingSlash)
            return Fail(Errno.EADDRINUSE, $"bind {address}: path names a directory");
        Inode directory = parent.Inode!;
        if (!Permission.MayAccess(directory, _process.Credentials, Access.Execute))
            return Fail(Errno.EACCES, $"bind {address}: search permission denied on {parent.Dentry.FullName}");
        VfsPath child = _vfs.Walker.LookupChild(parent, name);
        if (!child.Dentry.IsNegative)
            return Fail(Errno.EADDRINUSE, $"bind {address}: path exists");
        if (parent.Mount.IsReadOnly)
            return Fail(Errno.EROFS, $"bind {address}: read-only filesystem");
        if (directory.LinkCount == 0)
            return Fail(Errno.ENOENT, $"bind {address}: the directory was removed");
        if (!Permission.MayAccess(directory, _process.Credentials, Access.Write | Access.Execute))
            return Fail(Errno.EACCES, $"bind {address}: write permission denied on {parent.Dentry.FullName}");
        (Inode? inode, Errno error) = directory.Operations.Create(directory, name, InodeType.Socket,
            ModeBits.Permissions & ~_process.Umask, _process.Credentials, 0);
        if (inode is null)
            return Fail(error, $"bind {address}: creating the socket inode failed");
        _vfs.Dentries.Add(parent.Dentry, name, inode);
        inode.Private = socket;
        _boundInode = inode;
        return Errno.None;
    }

    public UnixSocket? Lookup(string address)
    {
        VfsResult<VfsPath> found = _vfs.Walker.Resolve(_process, _process.WorkingDirectory, address, followLast: true);
        if (!found.Ok)
        {
            Fail(found.Errno, found.Message!);
            return null;
        }
        Inode inode = found.Value.Inode!;
        if (inode.Type != InodeType.Socket)
        {
            Fail(Errno.ECONNREFUSED, $"connect {address}: not a socket");
            return null;
        }
        if (!Permission.MayAccess(inode, _process.Credentials, Access.Write))
        {
            Fail(Errno.EACCES, $"connect {address}: write permission denied on the socket");
            return null;
        }
        return inode.Private as UnixSocket;
    }

    public void Unbind(string address, UnixSocket socket)
    {
        if (_boundInode is not null && ReferenceEquals(_boundInode.Private, socket))
            _boundInode.Private = null;
        _boundInode = null;
    }

    private Errno Fail(Errno errno, string message)
    {
        LastFailure = VfsResult.Fail(errno, message);
        return errno;
    }
}
