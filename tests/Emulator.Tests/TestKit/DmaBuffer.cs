using Hardware.Emulator.Platform;

namespace Hardware.Emulator.Tests.TestKit;

/// <summary>A physically contiguous run of guest page frames a test uses as a data buffer.</summary>
public sealed class DmaBuffer
{
    private readonly GuestMemory _memory;

    internal DmaBuffer(GuestMemory memory, PageFrame first, int frames, int length)
    {
        _memory = memory;
        First = first;
        Frames = frames;
        Length = length;
    }

    public PageFrame First { get; }

    public int Frames { get; }

    public int Length { get; }

    public ulong Address => First.Address;

    public Span<byte> Span => _memory.GetSpan(Address, Length);

    /// <summary>The whole buffer as one DMA segment.</summary>
    public DmaSegment Segment => new(Address, Length);

    public DmaSegment Slice(int offset, int length)
    {
        if (offset < 0 || length <= 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset));
        return new DmaSegment(Address + (ulong)offset, length);
    }
}

/// <summary>A guest-physical range a command's PRDT covers.</summary>
public readonly record struct DmaSegment(ulong Address, int Length);
