namespace Hardware.BlockLayer.Tests.Partitions.TestKit;

/// <summary>In-place edits of image files, for corrupting what a real tool wrote.</summary>
public static class ImageBytes
{
    public static byte ReadByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        stream.Position = offset;
        int value = stream.ReadByte();
        return value >= 0 ? (byte)value : throw new InvalidOperationException($"{path} has no byte at {offset}");
    }

    public static void WriteByte(string path, long offset, byte value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.WriteByte(value);
    }

    /// <summary>Inverts every bit of one byte: the smallest corruption that is sure to change it.</summary>
    public static void FlipByte(string path, long offset) => WriteByte(path, offset, (byte)~ReadByte(path, offset));
}
