using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>A special file with no driver behind it: open gives ENXIO (as chrdev_open without a registered driver).</summary>
public sealed class NoDeviceFileOperations : IFileOperations
{
    public static NoDeviceFileOperations Instance { get; } = new();

    public bool IsSeekable => false;

    public Errno Open(File file) => Errno.ENXIO;

    public void Release(File file)
    {
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer) => new(new IoResult(0, Errno.ENXIO));

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(0, Errno.ENXIO));

    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.EINVAL);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);
}
