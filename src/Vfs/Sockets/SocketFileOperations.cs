using Hardware.BlockLayer;
using Hardware.Vfs.Pipes;

namespace Hardware.Vfs.Sockets;

/// <summary>
/// f_op of a socket file (Linux socket_file_ops): read and write go to the <see cref="UnixSocket"/> in the file's
/// private data; not seekable; the socket closes with the file's last descriptor. A socket inode at a path is not
/// opened this way: open(2) on it gives ENXIO, as on Linux.
/// </summary>
public sealed class SocketFileOperations : IFileOperations
{
    /// <summary>The internal filesystem (a kernel mount) socket(2) makes its nameless inodes on.</summary>
    public const string FileSystemName = "sockfs";

    public static SocketFileOperations Instance { get; } = new();

    public bool IsSeekable => false;

    public Errno Open(File file) => Errno.None;

    public void Release(File file)
    {
        if (file.Private is UnixSocket socket)
            socket.Close();
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        if (file.Private is not UnixSocket socket)
            return new(new IoResult(0, Errno.EBADF));
        ValueTask<TransferResult> read = socket.ReadAsync(buffer);
        return read.IsCompletedSuccessfully ? new(PipeFileOperations.ToIoResult(read.Result)) : PipeFileOperations.AwaitTransfer(read);
    }

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer)
    {
        if (file.Private is not UnixSocket socket)
            return new(new IoResult(0, Errno.EBADF));
        ValueTask<TransferResult> write = socket.WriteAsync(buffer);
        return write.IsCompletedSuccessfully ? new(PipeFileOperations.ToIoResult(write.Result)) : PipeFileOperations.AwaitTransfer(write);
    }

    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.EINVAL);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);
}
