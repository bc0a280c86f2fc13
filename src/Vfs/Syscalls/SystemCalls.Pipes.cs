using Hardware.BlockLayer;
using Hardware.Vfs.Pipes;
using Hardware.Vfs.RamFs;

namespace Hardware.Vfs.Syscalls;

/// <summary>The two descriptors pipe(2) and socketpair(2) return.</summary>
public readonly record struct DescriptorPair(int First, int Second);

public sealed partial class SystemCalls
{
    private VfsMount? _pipeMount;
    private VfsMount? _socketMount;

    /// <summary>
    /// pipe2(2): a pipe on a nameless inode of the internal pipefs mount; First is the read end (O_RDONLY), Second
    /// the write end (O_WRONLY). <paramref name="flags"/> may hold O_NONBLOCK and O_CLOEXEC. The inode has no links
    /// and is freed when both ends are closed.
    /// </summary>
    public async ValueTask<VfsResult<DescriptorPair>> PipeAsync(Process process, OpenFlags flags = OpenFlags.ReadOnly)
    {
        if ((flags & ~(OpenFlags.NonBlock | OpenFlags.CloseOnExec)) != 0)
            return VfsResult<DescriptorPair>.Fail(Errno.EINVAL, $"pipe: flags {flags} (only O_NONBLOCK and O_CLOEXEC)");
        if (process.Files.OpenCount + 2 > process.Files.Limit)
            return VfsResult<DescriptorPair>.Fail(Errno.EMFILE, $"pipe: {process.Files.OpenCount} of {process.Files.Limit} descriptors open");
        VfsResult<VfsMount> mount = await InternalMountAsync(PipeFileOperations.FileSystemName);
        if (!mount.Ok)
            return mount.Status;
        Inode inode = NewNamelessInode(mount.Value, process, InodeType.Fifo, PipeFileOperations.Instance);
        (PipeReadEnd reader, PipeWriteEnd writer) = Pipe.Create(Vfs.Simulation);
        string name = $"pipe:[{inode.Number}]";
        bool closeOnExec = (flags & OpenFlags.CloseOnExec) != 0;
        OpenFlags status = flags & OpenFlags.NonBlock;
        var readEnds = new PipeFileEnds(reader, null);
        var writeEnds = new PipeFileEnds(null, writer);
        readEnds.SetNonBlocking(status != 0);
        writeEnds.SetNonBlocking(status != 0);
        VfsResult<int> readFd = await InstallNameless(process, mount.Value, inode, name, OpenFlags.ReadOnly | status, readEnds, closeOnExec);
        if (!readFd.Ok)
        {
            readEnds.Close();
            writeEnds.Close();
            return readFd.Status;
        }
        VfsResult<int> writeFd = await InstallNameless(process, mount.Value, inode, name, OpenFlags.WriteOnly | status, writeEnds, closeOnExec);
        if (!writeFd.Ok)
        {
            writeEnds.Close();
            await CloseAsync(process, readFd.Value);
            return writeFd.Status;
        }
        return VfsResult<DescriptorPair>.Success(new DescriptorPair(readFd.Value, writeFd.Value));
    }

    /// <summary>The kernel mount of an internal filesystem (pipefs, sockfs), made on first use.</summary>
    private async ValueTask<VfsResult<VfsMount>> InternalMountAsync(string fileSystem)
    {
        bool pipes = fileSystem == PipeFileOperations.FileSystemName;
        VfsMount? existing = pipes ? _pipeMount : _socketMount;
        if (existing is not null)
            return VfsResult<VfsMount>.Success(existing);
        VfsResult<VfsMount> mounted = await Vfs.KernelMountAsync(fileSystem);
        if (!mounted.Ok)
            return mounted;
        if (pipes)
            _pipeMount ??= mounted.Value;
        else
            _socketMount ??= mounted.Value;
        return VfsResult<VfsMount>.Success(pipes ? _pipeMount! : _socketMount!);
    }

    /// <summary>An inode linked nowhere (link count 0), owned by the caller, with <paramref name="operations"/> as f_op.</summary>
    private static Inode NewNamelessInode(VfsMount mount, Process process, InodeType type, IFileOperations operations)
    {
        var inodeOperations = (RamInodeOperations)mount.Root.Inode!.Operations;
        Inode inode = inodeOperations.NewInode(mount.SuperBlock, type, 0x180, process.Credentials, null, 0);
        inode.LinkCount = 0;
        inode.FileOperations = operations;
        return inode;
    }

    /// <summary>Opens <paramref name="inode"/> anonymously with <paramref name="state"/> as its private data and installs a descriptor.</summary>
    private async ValueTask<VfsResult<int>> InstallNameless(Process process, VfsMount mount, Inode inode, string name, OpenFlags flags, object state, bool closeOnExec)
    {
        VfsResult<File> file = Vfs.OpenAnonymous(process, mount, inode, name, flags);
        if (!file.Ok)
            return file.Status;
        file.Value.Private = state;
        VfsResult<int> fd = process.Files.Install(file.Value, closeOnExec);
        if (!fd.Ok)
        {
            // Undo the open without dropping the caller's objects twice: the caller closes them.
            file.Value.Private = null;
            await Vfs.ReleaseFileAsync(file.Value);
        }
        return fd;
    }
}
