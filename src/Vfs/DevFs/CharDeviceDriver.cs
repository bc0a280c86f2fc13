using Hardware.BlockLayer;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// Base of a char-device driver's file operations: seekable (the position is ignored, as the memory devices do),
/// nothing to do on open or release, no fsync (EINVAL, as a driver without fsync). The table passes a driver its
/// opens; <see cref="File.Private"/> belongs to the table, not the driver.
/// </summary>
public abstract class CharDeviceDriver : IFileOperations
{
    public virtual bool IsSeekable => true;

    public virtual Errno Open(File file) => Errno.None;

    public virtual void Release(File file)
    {
    }

    public abstract ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer);

    public abstract ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer);

    public virtual ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.EINVAL);

    public virtual ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);
}
