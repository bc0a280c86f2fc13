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

    private Inode? _preparedInode;
    private Errno _preparedError = Errno.ENOENT;

    /// <summary>
    /// The path work of bind, which may need the disk: walks to the directory, checks the name is free and the
    /// permissions, and creates the socket inode. <see cref="Bind"/> then attaches the socket to it.
    /// </summary>
    public async ValueTask PrepareBindAsync(string address)
    {
        _preparedInode = null;
        VfsResult<ParentAndName> split = await _vfs.Walker.ResolveParentAsync(_process, _process.WorkingDirectory, address);
        if (!split.Ok)
        {
            _preparedError = Fail(split.Errno, split.Message!);
            return;
        }
        (VfsPath parent, string name, bool trailingSlash) = split.Value;
        if (split.Value.IsRoot || split.Value.IsDotOrDotDot || trailingSlash)
        {
            _preparedError = Fail(Errno.EADDRINUSE, $"bind {address}: path names a directory");
            return;
        }
        Inode directory = parent.Inode!;
        if (!Permission.MayAccess(directory, _process.Credentials, Access.Execute))
        {
            _preparedError = Fail(Errno.EACCES, $"bind {address}: search permission denied on {parent.Dentry.FullName}");
            return;
        }
        VfsResult<VfsPath> child = await _vfs.Walker.LookupChildAsync(parent, name);
        _preparedError = !child.Ok ? Fail(child.Errno, $"bind {address}: {child.Message}")
            : !child.Value.Dentry.IsNegative ? Fail(Errno.EADDRINUSE, $"bind {address}: path exists")
            : parent.Mount.IsReadOnly ? Fail(Errno.EROFS, $"bind {address}: read-only filesystem")
            : directory.LinkCount == 0 ? Fail(Errno.ENOENT, $"bind {address}: the directory was removed")
            : !Permission.MayAccess(directory, _process.Credentials, Access.Write | Access.Execute)
                ? Fail(Errno.EACCES, $"bind {address}: write permission denied on {parent.Dentry.FullName}")
                : Errno.None;
        if (_preparedError != Errno.None)
            return;
        (Inode? inode, Errno error) = await directory.Operations.CreateAsync(directory, name, InodeType.Socket,
            ModeBits.Permissions & ~_process.Umask, _process.Credentials, 0);
        if (inode is null)
        {
            _preparedError = Fail(error, $"bind {address}: creating the socket inode failed");
            return;
        }
        _vfs.Dentries.Add(parent.Dentry, name, inode);
        _preparedInode = inode;
    }

    /// <summary>Attaches <paramref name="socket"/> to the inode <see cref="PrepareBindAsync"/> made.</summary>
    public Errno Bind(string address, UnixSocket socket)
    {
        if (_preparedInode is null)
            return _preparedError;
        _preparedInode.Private = socket;
        _boundInode = _preparedInode;
        _preparedInode = null;
        return Errno.None;
    }

    private UnixSocket? _preparedListener;

    /// <summary>The path work of connect: walks to the socket inode and checks write permission on it.</summary>
    public async ValueTask PrepareConnectAsync(string address)
    {
        _preparedListener = null;
        VfsResult<VfsPath> found = await _vfs.Walker.ResolveAsync(_process, _process.WorkingDirectory, address, followLast: true);
        if (!found.Ok)
        {
            Fail(found.Errno, found.Message!);
            return;
        }
        Inode inode = found.Value.Inode!;
        if (inode.Type != InodeType.Socket)
            Fail(Errno.ECONNREFUSED, $"connect {address}: not a socket");
        else if (!Permission.MayAccess(inode, _process.Credentials, Access.Write))
            Fail(Errno.EACCES, $"connect {address}: write permission denied on the socket");
        else
            _preparedListener = inode.Private as UnixSocket;
    }

    /// <summary>The socket <see cref="PrepareConnectAsync"/> found, or null.</summary>
    public UnixSocket? Lookup(string address) => _preparedListener;

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
