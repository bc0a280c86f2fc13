using System.Numerics;

namespace Hardware.Emulator.Platform;

/// <summary>
/// Hands out guest page frames to drivers and caches: a bitmap (one bit a frame) searched from a rotating
/// cursor a 64-frame word at a time. Frame 0 is never handed out, so a zero physical address always means
/// "unset". Contiguous, aligned runs serve DMA structures such as AHCI command lists.
/// </summary>
public sealed class PageFrameAllocator
{
    private readonly ulong[] _used;
    private readonly long _frames;
    private int _cursorWord;

    public PageFrameAllocator(GuestMemory memory)
    {
        _frames = memory.PageCount;
        _used = new ulong[(_frames + 63) / 64];
        long tail = _used.Length * 64L - _frames;
        if (tail > 0)
            _used[^1] |= ~0UL << (int)(64 - tail);
        _used[0] |= 1; // frame 0
        FreeFrames = _frames - 1;
    }

    public long FreeFrames { get; private set; }

    public long TotalFrames => _frames;

    public bool TryAllocate(out PageFrame frame)
    {
        for (int i = 0; i < _used.Length; i++)
        {
            int word = (_cursorWord + i) % _used.Length;
            ulong free = ~_used[word];
            if (free == 0)
                continue;
            int bit = BitOperations.TrailingZeroCount(free);
            _used[word] |= 1UL << bit;
            _cursorWord = word;
            FreeFrames--;
            frame = new PageFrame(word * 64L + bit);
            return true;
        }
        frame = default;
        return false;
    }

    public PageFrame Allocate() =>
        TryAllocate(out PageFrame frame) ? frame : throw new OutOfGuestMemoryException(1, FreeFrames);

    /// <summary>Allocates <paramref name="count"/> physically contiguous frames whose first frame number is a multiple of <paramref name="alignFrames"/>.</summary>
    public bool TryAllocateContiguous(int count, int alignFrames, out PageFrame first)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alignFrames);
        for (long start = alignFrames; start + count <= _frames; start += alignFrames)
        {
            long n = 0;
            while (n < count && !IsUsed(start + n))
                n++;
            if (n == count)
            {
                for (long f = start; f < start + count; f++)
                    SetUsed(f, true);
                FreeFrames -= count;
                first = new PageFrame(start);
                return true;
            }
        }
        first = default;
        return false;
    }

    public PageFrame AllocateContiguous(int count, int alignFrames = 1) =>
        TryAllocateContiguous(count, alignFrames, out PageFrame first) ? first : throw new OutOfGuestMemoryException(count, FreeFrames);

    public void Free(PageFrame frame) => Free(frame, 1);

    public void Free(PageFrame first, int count)
    {
        for (long f = first.Number; f < first.Number + count; f++)
        {
            if (f <= 0 || f >= _frames || !IsUsed(f))
                throw new InvalidOperationException($"freeing {new PageFrame(f)}, which is not allocated");
            SetUsed(f, false);
        }
        FreeFrames += count;
    }

    private bool IsUsed(long frame) => (_used[frame >> 6] & (1UL << (int)(frame & 63))) != 0;

    private void SetUsed(long frame, bool used)
    {
        if (used)
            _used[frame >> 6] |= 1UL << (int)(frame & 63);
        else
            _used[frame >> 6] &= ~(1UL << (int)(frame & 63));
    }
}

public sealed class OutOfGuestMemoryException(int requested, long free)
    : InvalidOperationException($"guest memory exhausted: {requested} frame(s) requested, {free} free");
