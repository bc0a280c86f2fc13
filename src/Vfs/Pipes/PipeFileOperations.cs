using Hardware.BlockLayer;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// f_op of a pipe end (Linux pipefifo_fops): read and write go to the <see cref="PipeFileEnds"/> in the file's
/// private data, honouring the file's O_NONBLOCK; not seekable; the ends close when the file's last descriptor does.
/// </summary>
public sealed class PipeFileOperations : IFileOperations
{
    /// <summary>The internal filesystem (a kernel mount) pipe(2) makes its nameless inodes on.</summary>
    public const string FileSystemName = "pipefs";

    public static PipeFileOperations Instance { get; } = new();

    public bool IsSeekable => false;

    public Errno Open(File file) => Errno.None;

    public void Release(File file)
    {
        if (file.Private is PipeFileEnds ends)
            ends.Close();
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        if (file.Private is not PipeFileEnds { Reader: { } reader })
            return new(new IoResult(0, Errno.EBADF));
        ValueTask<TransferResult> read = reader.ReadAsync(buffer);
        return read.IsCompletedSuccessfully ? new(ToIoResult(read.Result)) : AwaitTransfer(read);
    }

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer)
    {
        if (file.Private is not PipeFileEnds { Writer: { } writer })
            return new(new IoResult(0, Errno.EBADF));
        ValueTask<TransferResult> write = writer.WriteAsync(buffer);
        return write.IsCompletedSuccessfully ? new(ToIoResult(write.Result)) : AwaitTransfer(write);
    }

    /// <summary>fsync on a pipe: EINVAL, as Linux (no fsync in pipefifo_fops).</summary>
    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.EINVAL);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);

    /// <summary>A pipe or socket transfer as a file-operation result (SIGPIPE carried along).</summary>
    public static IoResult ToIoResult(TransferResult result) =>
        new(result.Bytes, result.Errno) { RaiseSigpipe = result.RaiseSigpipe };

    public static async ValueTask<IoResult> AwaitTransfer(ValueTask<TransferResult> transfer) => ToIoResult(await transfer);
}
