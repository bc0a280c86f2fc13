using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;

namespace Hardware.Vfs.Pipes;

/// <summary>
/// f_op of a FIFO inode (Linux fifo_open): the inode carries one <see cref="Fifo"/>, made at its first open; an open
/// waits for its partner (or fails with ENXIO under O_NONBLOCK), then reads and writes as a pipe end.
/// </summary>
public sealed class FifoFileOperations : IFileOperations
{
    private readonly Simulation _simulation;

    public FifoFileOperations(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        _simulation = simulation;
    }

    public bool IsSeekable => false;

    public Errno Open(File file) => Errno.None;

    public async ValueTask<VfsResult> CompleteOpenAsync(File file)
    {
        Inode inode = file.Inode;
        var fifo = inode.Private as Fifo;
        if (fifo is null)
            inode.Private = fifo = new Fifo(_simulation, file.Path.Dentry.FullName);
        FifoAccess access = (file.Flags & OpenFlags.AccessModeMask) switch
        {
            OpenFlags.WriteOnly => FifoAccess.WriteOnly,
            OpenFlags.ReadWrite => FifoAccess.ReadWrite,
            _ => FifoAccess.ReadOnly,
        };
        bool nonBlocking = (file.Flags & OpenFlags.NonBlock) != 0;
        FifoOpenResult opened = await fifo.OpenAsync(access, nonBlocking);
        if (!opened.IsSuccess)
            return VfsResult.Fail(opened.Errno, opened.Message ?? $"{fifo.Name}: FIFO open failed");
        // Linux sets f_version only for a non-blocking read-only open that found no writer.
        bool awaitsFirstWriter = access == FifoAccess.ReadOnly && nonBlocking && fifo.Writers == 0;
        file.Private = new PipeFileEnds(opened.Reader, opened.Writer, awaitsFirstWriter ? fifo : null);
        return VfsResult.Success;
    }

    public void Release(File file) => PipeFileOperations.Instance.Release(file);

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer) =>
        PipeFileOperations.Instance.ReadAsync(file, position, buffer);

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) =>
        PipeFileOperations.Instance.WriteAsync(file, position, buffer);

    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.EINVAL);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);
}
