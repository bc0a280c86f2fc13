using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Hardware.Emulator.Platform;

/// <summary>
/// The emulated machine's physical memory: one native allocation addressed by guest physical address. The
/// operating system commits host pages only when they are first touched, so a large guest costs little until
/// used. Every access is bounds-checked; DMA engines use <see cref="TryGetSpan"/> and report a bus error for
/// addresses outside memory instead of throwing or touching host memory.
/// </summary>
public sealed unsafe class GuestMemory : IDisposable
{
    public const long DefaultSize = 256L << 20;

    private byte* _base;

    public GuestMemory(long size = DefaultSize)
    {
        if (size <= 0 || size % PageFrame.Size != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "guest memory size must be a positive multiple of 4096 bytes");
        Size = size;
        _base = (byte*)NativeMemory.AllocZeroed((nuint)size);
    }

    ~GuestMemory() => Free();

    public long Size { get; }

    public long PageCount => Size / PageFrame.Size;

    public bool Contains(ulong address, long length) =>
        length >= 0 && address <= (ulong)Size && (ulong)length <= (ulong)Size - address;

    /// <summary>A span over [address, address+length), or false when any byte lies outside guest memory.</summary>
    public bool TryGetSpan(ulong address, int length, out Span<byte> span)
    {
        if (!Contains(address, length) || _base == null)
        {
            span = default;
            return false;
        }
        span = new Span<byte>(_base + address, length);
        return true;
    }

    /// <summary>A span the caller knows to be valid (a frame it allocated); out of range is a bug and throws.</summary>
    public Span<byte> GetSpan(ulong address, int length)
    {
        if (!TryGetSpan(address, length, out Span<byte> span))
            throw new ArgumentOutOfRangeException(nameof(address), $"guest range 0x{address:x}+{length} is outside memory of {Size} bytes");
        return span;
    }

    public Span<byte> GetPage(PageFrame frame) => GetSpan(frame.Address, PageFrame.Size);

    public uint ReadUInt32(ulong address) => BinaryPrimitives.ReadUInt32LittleEndian(GetSpan(address, 4));

    public void WriteUInt32(ulong address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(address, 4), value);

    public ulong ReadUInt64(ulong address) => BinaryPrimitives.ReadUInt64LittleEndian(GetSpan(address, 8));

    public void WriteUInt64(ulong address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(address, 8), value);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_base != null)
        {
            NativeMemory.Free(_base);
            _base = null;
        }
    }
}
