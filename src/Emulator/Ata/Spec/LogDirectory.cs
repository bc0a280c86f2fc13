using System.Buffers.Binary;

namespace Hardware.Emulator.Ata.Spec;

/// <summary>
/// The General Purpose Log directory (log address 00h, ACS-3 9.2, 512 bytes): word 0 is the directory version (0001h),
/// word N the number of 512-byte pages log address N holds (0 = not supported).
/// </summary>
public static class LogDirectory
{
    public const int Size = 512;
    public const ushort Version = 0x0001;

    public static void Write(Span<byte> destination, ReadOnlySpan<LogAddress> logs, ReadOnlySpan<ushort> pages)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"the log directory is {Size} bytes", nameof(destination));
        if (logs.Length != pages.Length)
            throw new ArgumentException("one page count per log address", nameof(pages));
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Version);
        for (int i = 0; i < logs.Length; i++)
        {
            if (logs[i] == LogAddress.Directory)
                throw new ArgumentException("word 0 of the directory is its version, not a page count", nameof(logs));
            BinaryPrimitives.WriteUInt16LittleEndian(destination[((int)logs[i] * 2)..], pages[i]);
        }
    }

    public static ushort PageCount(ReadOnlySpan<byte> directory, LogAddress log) =>
        BinaryPrimitives.ReadUInt16LittleEndian(directory[((int)log * 2)..]);
}
