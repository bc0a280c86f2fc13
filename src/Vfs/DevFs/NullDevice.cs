using Hardware.BlockLayer;

namespace Hardware.Vfs.DevFs;

/// <summary>/dev/null (1:3): reads are at end of file, writes succeed and are dropped.</summary>
public sealed class NullDevice : CharDeviceDriver
{
    public const int Minor = 3;

    public override ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer) => new(new IoResult(0));

    public override ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => new(new IoResult(buffer.Length));
}
