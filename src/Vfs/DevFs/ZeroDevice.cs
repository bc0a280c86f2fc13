using Hardware.BlockLayer;

namespace Hardware.Vfs.DevFs;

/// <summary>/dev/zero (1:5): reads fill the buffer with zeros, writes succeed and are dropped.</summary>
public sealed class ZeroDevice : CharDeviceDriver
{
    public const int Minor = 5;

    public override ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer)
    {
        buffer.Span.Clear();
        return new(new IoResult(buffer.Length));
    }

    public override ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(buffer.Length));
}
