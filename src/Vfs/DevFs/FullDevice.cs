using Hardware.BlockLayer;

namespace Hardware.Vfs.DevFs;

/// <summary>/dev/full (1:7): reads give zeros like /dev/zero, every write fails with ENOSPC (a full disk on demand).</summary>
public sealed class FullDevice : CharDeviceDriver
{
    public const int Minor = 7;

    public override ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        buffer.Span.Clear();
        return new(new IoResult(buffer.Length));
    }

    public override ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(0, Errno.ENOSPC));
}
