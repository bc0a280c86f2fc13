using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>An open directory: read and write give EISDIR (entries come from getdents); fsync has nothing to do.</summary>
public sealed class DirectoryFileOperations : IFileOperations
{
    public static DirectoryFileOperations Instance { get; } = new();

    public bool IsSeekable => true;

    public Errno Open(File file) => Errno.None;

    public void Release(File file)
    {
    }

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer) => new(new IoResult(0, Errno.EISDIR));

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(0, Errno.EISDIR));

    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => new(Errno.None);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => new(-1L);
}
