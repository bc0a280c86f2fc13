using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>
/// What an open file does (struct file_operations). The table comes from the inode (i_fop), so a regular file, a
/// device node, a pipe end or a socket are all files behind the one syscall interface.
/// </summary>
public interface IFileOperations
{
    /// <summary>False for pipes and sockets: lseek gives ESPIPE and pread/pwrite are refused.</summary>
    bool IsSeekable { get; }

    /// <summary>Called when a file of the inode is opened; a non-zero errno refuses the open.</summary>
    Errno Open(File file);

    /// <summary>Called when the last descriptor of the open file goes away.</summary>
    void Release(File file);

    ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer);

    ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer);

    ValueTask<Errno> FsyncAsync(File file, bool dataOnly);

    /// <summary>
    /// SEEK_DATA / SEEK_HOLE: the next data or hole offset at or after <paramref name="offset"/>, or -1 (ENXIO) past
    /// the end. A filesystem with a block map may read it.
    /// </summary>
    ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data);

    /// <summary>
    /// The part of open(2) that may wait (a FIFO's rendezvous with its partner), run by the open syscall after
    /// <see cref="Open"/> accepted the file; a non-zero errno fails the open and the file is released.
    /// </summary>
    ValueTask<VfsResult> CompleteOpenAsync(File file) => new(VfsResult.Success);
}
