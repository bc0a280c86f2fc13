using System.Text;
using Hardware.BlockLayer;
using Hardware.Vfs.Sockets;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>socket(AF_UNIX, SOCK_STREAM | flags, 0): an unconnected socket on a nameless sockfs inode.</summary>
    public async ValueTask<VfsResult<int>> SocketAsync(Process process, OpenFlags flags = OpenFlags.ReadOnly)
    {
        VfsResult check = CheckSocketFlags(process, flags, 1, "socket");
        if (!check.Ok)
            return check;
        return await InstallSocketAsync(process, new UnixSocket(Vfs.Simulation), flags);
    }

    /// <summary>socketpair(AF_UNIX, SOCK_STREAM | flags, 0): two connected sockets.</summary>
    public async ValueTask<VfsResult<DescriptorPair>> SocketPairAsync(Process process, OpenFlags flags = OpenFlags.ReadOnly)
    {
        VfsResult check = CheckSocketFlags(process, flags, 2, "socketpair");
        if (!check.Ok)
            return check;
        (UnixSocket first, UnixSocket second) = UnixSocket.CreatePair(Vfs.Simulation);
        VfsResult<int> firstFd = await InstallSocketAsync(process, first, flags);
        if (!firstFd.Ok)
        {
            second.Close();
            return firstFd.Status;
        }
        VfsResult<int> secondFd = await InstallSocketAsync(process, second, flags);
        if (!secondFd.Ok)
        {
            await CloseAsync(process, firstFd.Value);
            return secondFd.Status;
        }
        return VfsResult<DescriptorPair>.Success(new DescriptorPair(firstFd.Value, secondFd.Value));
    }

    /// <summary>
    /// bind(2) to a path: creates a socket inode there through the path walk. EADDRINUSE if the path exists, ENOENT
    /// if its directory does not, EACCES without write and search permission on the directory.
    /// </summary>
    public async ValueTask<VfsResult> BindAsync(Process process, int fd, string path)
    {
        VfsResult<UnixSocket> socket = SocketOf(process, fd);
        if (!socket.Ok)
            return socket.Status;
        if (socket.Value.Address is not null)
            return VfsResult.Fail(Errno.EINVAL, $"bind {path}: socket already bound to {socket.Value.Address}");
        if (path.Length == 0 || Encoding.UTF8.GetByteCount(path) > UnixSocketOptions.MaxPathBytes)
            return VfsResult.Fail(Errno.EINVAL, $"bind {path}: address must be 1..{UnixSocketOptions.MaxPathBytes} bytes");
        var space = new PathUnixAddressSpace(Vfs, process);
        await space.PrepareBindAsync(path);
        return FromSocket(socket.Value.Bind(space, path), space);
    }

    /// <summary>listen(2).</summary>
    public VfsResult Listen(Process process, int fd, int backlog)
    {
        VfsResult<UnixSocket> socket = SocketOf(process, fd);
        return socket.Ok ? FromSocket(socket.Value.Listen(backlog), null, fd) : socket.Status;
    }

    /// <summary>
    /// connect(2) to the socket bound at <paramref name="path"/>: ENOENT if nothing is there, EACCES without write
    /// permission on it, ECONNREFUSED if it is not a socket or nobody listens on it.
    /// </summary>
    public async ValueTask<VfsResult> ConnectAsync(Process process, int fd, string path)
    {
        VfsResult<UnixSocket> socket = SocketOf(process, fd);
        if (!socket.Ok)
            return socket.Status;
        var space = new PathUnixAddressSpace(Vfs, process);
        await space.PrepareConnectAsync(path);
        return FromSocket(socket.Value.Connect(space, path), space);
    }

    /// <summary>accept4(2): a descriptor for the oldest pending connection; blocks unless the listener's file is O_NONBLOCK.</summary>
    public async ValueTask<VfsResult<int>> AcceptAsync(Process process, int fd, OpenFlags flags = OpenFlags.ReadOnly)
    {
        VfsResult<UnixSocket> socket = SocketOf(process, fd);
        if (!socket.Ok)
            return socket.Status;
        VfsResult check = CheckSocketFlags(process, flags, 1, "accept");
        if (!check.Ok)
            return check;
        AcceptResult accepted = await socket.Value.AcceptAsync();
        if (!accepted.IsSuccess)
            return VfsResult<int>.Fail(accepted.Errno, $"accept on descriptor {fd}: {accepted.Message}");
        return await InstallSocketAsync(process, accepted.Socket!, flags);
    }

    /// <summary>shutdown(2).</summary>
    public VfsResult Shutdown(Process process, int fd, ShutdownHow how)
    {
        VfsResult<UnixSocket> socket = SocketOf(process, fd);
        return socket.Ok ? FromSocket(socket.Value.Shutdown(how), null, fd) : socket.Status;
    }

    private static VfsResult CheckSocketFlags(Process process, OpenFlags flags, int descriptors, string call)
    {
        if ((flags & ~(OpenFlags.NonBlock | OpenFlags.CloseOnExec)) != 0)
            return VfsResult.Fail(Errno.EINVAL, $"{call}: flags {flags} (only SOCK_NONBLOCK and SOCK_CLOEXEC)");
        if (process.Files.OpenCount + descriptors > process.Files.Limit)
            return VfsResult.Fail(Errno.EMFILE, $"{call}: {process.Files.OpenCount} of {process.Files.Limit} descriptors open");
        return VfsResult.Success;
    }

    private async ValueTask<VfsResult<int>> InstallSocketAsync(Process process, UnixSocket socket, OpenFlags flags)
    {
        VfsResult<VfsMount> mount = await InternalMountAsync(SocketFileOperations.FileSystemName);
        if (!mount.Ok)
        {
            socket.Close();
            return mount.Status;
        }
        socket.NonBlocking = (flags & OpenFlags.NonBlock) != 0;
        Inode inode = NewNamelessInode(mount.Value, process, InodeType.Socket, SocketFileOperations.Instance);
        VfsResult<int> fd = await InstallNameless(process, mount.Value, inode, $"socket:[{inode.Number}]",
            OpenFlags.ReadWrite | (flags & OpenFlags.NonBlock), socket, (flags & OpenFlags.CloseOnExec) != 0);
        if (!fd.Ok)
            socket.Close();
        return fd;
    }

    /// <summary>The socket behind <paramref name="fd"/>: EBADF if not open, ENOTSOCK if not a socket.</summary>
    private static VfsResult<UnixSocket> SocketOf(Process process, int fd)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        if (file.Private is not UnixSocket socket)
            return VfsResult<UnixSocket>.Fail(Errno.ENOTSOCK, $"descriptor {fd} ({file.Path.FullName}) is not a socket");
        return VfsResult<UnixSocket>.Success(socket);
    }

    private static VfsResult FromSocket(SocketResult result, PathUnixAddressSpace? space, int fd = -1)
    {
        if (result.IsSuccess)
            return VfsResult.Success;
        if (space is not null && !space.LastFailure.Ok)
            return space.LastFailure;
        return VfsResult.Fail(result.Errno, fd >= 0 ? $"descriptor {fd}: {result.Message}" : result.Message ?? result.Errno.ToString());
    }
}
