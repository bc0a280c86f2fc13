using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>One day: relatime refreshes atime at most this often when it is already newer than mtime and ctime.</summary>
    private const long RelatimeIntervalNs = 24L * 3600 * 1_000_000_000;

    /// <summary>
    /// read(2) at the file position. A cached read completes synchronously and allocates nothing.
    /// </summary>
    public ValueTask<VfsResult<int>> ReadAsync(Process process, int fd, Memory<byte> buffer)
    {
        File? file = process.Files.Get(fd);
        if (file is null || !file.CanRead)
            return new(NotOpenFor(fd, "reading"));
        ValueTask<IoResult> read = file.Operations.ReadAsync(file, file.Position, buffer);
        if (read.IsCompletedSuccessfully)
            return new(CompleteRead(file, read.Result, advance: true));
        return AwaitRead(file, read, advance: true);
    }

    /// <summary>pread(2): at <paramref name="offset"/>, the file position untouched.</summary>
    public ValueTask<VfsResult<int>> PreadAsync(Process process, int fd, Memory<byte> buffer, long offset)
    {
        File? file = process.Files.Get(fd);
        if (file is null || !file.CanRead)
            return new(NotOpenFor(fd, "reading"));
        if (!file.Operations.IsSeekable)
            return new(VfsResult<int>.Fail(Errno.ESPIPE, $"descriptor {fd}: pread on an unseekable file"));
        if (offset < 0)
            return new(VfsResult<int>.Fail(Errno.EINVAL, $"descriptor {fd}: negative offset {offset}"));
        ValueTask<IoResult> read = file.Operations.ReadAsync(file, offset, buffer);
        if (read.IsCompletedSuccessfully)
            return new(CompleteRead(file, read.Result, advance: false));
        return AwaitRead(file, read, advance: false);
    }

    private readonly Stack<IoWaiter> _waiters = new();

    /// <summary>A read that waits: the operation's result becomes the call's when it ends (<see cref="IoWaiter"/>).</summary>
    private ValueTask<VfsResult<int>> AwaitRead(File file, ValueTask<IoResult> read, bool advance) =>
        RentWaiter().Start(file, read, write: false, 0, advance);

    private IoWaiter RentWaiter() => _waiters.TryPop(out IoWaiter? waiter) ? waiter : new IoWaiter(this);

    internal void ReturnWaiter(IoWaiter waiter) => _waiters.Push(waiter);

    internal VfsResult<int> CompleteRead(File file, IoResult result, bool advance)
    {
        if (!result.Ok)
            return VfsResult<int>.Fail(result.Error, file.Inode.SuperBlock.Describe(result.Error, $"read {file.Path.FullName} failed"));
        if (advance)
            file.Position += result.Bytes;
        Inode inode = file.Inode;
        if (inode.AccessTimeNs <= inode.ModifyTimeNs || inode.AccessTimeNs <= inode.ChangeTimeNs || Now - inode.AccessTimeNs >= RelatimeIntervalNs)
            inode.AccessTimeNs = Now;
        return new VfsResult<int>(result.Bytes, Errno.None, null);
    }

    /// <summary>write(2) at the file position (at the end with O_APPEND); O_SYNC/O_DSYNC write through.</summary>
    public ValueTask<VfsResult<int>> WriteAsync(Process process, int fd, ReadOnlyMemory<byte> buffer)
    {
        File? file = process.Files.Get(fd);
        if (file is null || !file.CanWrite)
            return new(NotOpenFor(fd, "writing"));
        long position = (file.Flags & OpenFlags.Append) != 0 ? file.Inode.Size : file.Position;
        return WriteAtAsync(file, position, buffer, advance: true);
    }

    /// <summary>pwrite(2) at <paramref name="offset"/> (Linux ignores the offset with O_APPEND: it appends).</summary>
    public ValueTask<VfsResult<int>> PwriteAsync(Process process, int fd, ReadOnlyMemory<byte> buffer, long offset)
    {
        File? file = process.Files.Get(fd);
        if (file is null || !file.CanWrite)
            return new(NotOpenFor(fd, "writing"));
        if (!file.Operations.IsSeekable)
            return new(VfsResult<int>.Fail(Errno.ESPIPE, $"descriptor {fd}: pwrite on an unseekable file"));
        if (offset < 0)
            return new(VfsResult<int>.Fail(Errno.EINVAL, $"descriptor {fd}: negative offset {offset}"));
        long position = (file.Flags & OpenFlags.Append) != 0 ? file.Inode.Size : offset;
        return WriteAtAsync(file, position, buffer, advance: false);
    }

    private ValueTask<VfsResult<int>> WriteAtAsync(File file, long position, ReadOnlyMemory<byte> buffer, bool advance)
    {
        ValueTask<IoResult> write = file.Operations.WriteAsync(file, position, buffer);
        if ((file.Flags & OpenFlags.DataSync) != 0)
            return WriteSlowAsync(file, position, write, advance);
        if (write.IsCompletedSuccessfully)
            return new(CompleteWrite(file, position, write.Result, advance));
        return RentWaiter().Start(file, write, write: true, position, advance);
    }

    private async ValueTask<VfsResult<int>> WriteSlowAsync(File file, long position, ValueTask<IoResult> write, bool advance)
    {
        VfsResult<int> result = CompleteWrite(file, position, await write, advance);
        if (result.Ok && (file.Flags & OpenFlags.DataSync) != 0)
        {
            Errno synced = await file.Operations.FsyncAsync(file, dataOnly: (file.Flags & OpenFlags.Sync) != OpenFlags.Sync);
            if (synced != Errno.None)
                return VfsResult<int>.Fail(synced, $"write {file.Path.FullName}: synchronous write-through failed");
        }
        return result;
    }

    internal static VfsResult<int> CompleteWrite(File file, long position, IoResult result, bool advance)
    {
        if (!result.Ok)
            return VfsResult<int>.Fail(result.Error, file.Inode.SuperBlock.Describe(result.Error, $"write {file.Path.FullName} at {position} failed")) with { RaiseSigpipe = result.RaiseSigpipe };
        if (advance)
            file.Position = position + result.Bytes;
        return new VfsResult<int>(result.Bytes, Errno.None, null) { RaiseSigpipe = result.RaiseSigpipe };
    }

    /// <summary>lseek(2). SEEK_DATA/SEEK_HOLE ask the file's operations; ENXIO at or past the end.</summary>
    public async ValueTask<VfsResult<long>> LseekAsync(Process process, int fd, long offset, SeekOrigin origin)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        if (!file.Operations.IsSeekable)
            return VfsResult<long>.Fail(Errno.ESPIPE, $"descriptor {fd}: not seekable");
        long position;
        switch (origin)
        {
            case SeekOrigin.Set:
                position = offset;
                break;
            case SeekOrigin.Current:
                position = file.Position + offset;
                break;
            case SeekOrigin.End:
                position = file.Inode.Size + offset;
                break;
            case SeekOrigin.Data:
            case SeekOrigin.Hole:
                if (offset < 0)
                    return VfsResult<long>.Fail(Errno.ENXIO, $"descriptor {fd}: negative offset {offset}");
                position = await file.Operations.SeekDataOrHoleAsync(file, offset, origin == SeekOrigin.Data);
                if (position < 0)
                    return VfsResult<long>.Fail(Errno.ENXIO, $"descriptor {fd}: no {(origin == SeekOrigin.Data ? "data" : "hole")} at or after {offset}");
                break;
            default:
                return VfsResult<long>.Fail(Errno.EINVAL, $"descriptor {fd}: bad whence {(int)origin}");
        }
        if (position < 0)
            return VfsResult<long>.Fail(Errno.EINVAL, $"descriptor {fd}: resulting offset {position} is negative");
        file.Position = position;
        return VfsResult<long>.Success(position);
    }

    /// <summary>fsync(2) / fdatasync(2): the file's dirty data (and flush) through its operations.</summary>
    public async ValueTask<VfsResult> FsyncAsync(Process process, int fd, bool dataOnly = false)
    {
        File? file = process.Files.Get(fd);
        if (file is null)
            return BadDescriptor(fd);
        Errno error = await file.Operations.FsyncAsync(file, dataOnly);
        return error == Errno.None ? VfsResult.Success : VfsResult.Fail(error, file.Inode.SuperBlock.Describe(error, $"fsync {file.Path.FullName} failed"));
    }

    private static VfsResult<int> NotOpenFor(int fd, string what) =>
        VfsResult<int>.Fail(Errno.EBADF, $"descriptor {fd} is not open for {what}");
}
