using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

// O_DIRECT around the cache (filemap_write_and_wait_range, the filesystem's direct_IO, invalidate after a write) and
// the bounce transfer that moves a caller's host buffer through guest frames the device can DMA into or out of.
public sealed partial class PageCache
{
    /// <summary>Pages one O_DIRECT bio carries (128 KiB), so a large direct transfer is a few bios, not one per page.</summary>
    public const int DirectChunkPages = 32;

    /// <summary>The renter name of bounce frames rented for a file's O_DIRECT transfer.</summary>
    public const string DirectRenter = "O_DIRECT";

    private readonly Stack<DirectBounceBuffers> _directBuffers = new();

    /// <summary>Segment list and frame slots for one bounce transfer, reused: steady state allocates none.</summary>
    public DirectBounceBuffers RentDirectBuffers() =>
        _directBuffers.TryPop(out DirectBounceBuffers? buffers) ? buffers : new DirectBounceBuffers();

    public void ReturnDirectBuffers(DirectBounceBuffers buffers) => _directBuffers.Push(buffers);

    /// <summary>
    /// O_DIRECT of a caller's host buffer: the device can only DMA into guest memory, so the bytes move through frames
    /// rented for the transfer, <see cref="DirectChunkPages"/> at a time, each chunk one <see cref="DirectIOAsync"/>
    /// waited for (a write's bytes copied in before, a read's copied out after). <paramref name="length"/> is a
    /// multiple of 512. Returns the bytes moved; it stops at a chunk that moved less (a read reaching the size) and
    /// reports an error only when nothing moved, as a short read or write does.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CacheResult> DirectBounceAsync(AddressSpace space, DirectBounceBuffers buffers, string renter, BioOp op,
        long position, int length, Memory<byte> destination, ReadOnlyMemory<byte> source, int processId)
    {
        BioSegment[] segments = buffers.Segments;
        CachePage[] frames = buffers.Frames;
        int done = 0;
        Errno error = Errno.None;
        while (done < length)
        {
            int chunk = Math.Min(length - done, DirectChunkPages * CachePage.Size);
            int pages = (chunk + CachePage.Size - 1) / CachePage.Size;
            if (!buffers.TryRentFrames(Pool, renter, pages))
            {
                error = Errno.ENOMEM;
                break;
            }
            for (int i = 0; i < pages; i++)
            {
                int bytes = Math.Min(CachePage.Size, chunk - i * CachePage.Size);
                segments[i] = new BioSegment(frames[i].Address, bytes);
                if (op == BioOp.Write)
                    source.Span.Slice(done + i * CachePage.Size, bytes).CopyTo(frames[i].Bytes);
            }
            CacheResult result = await DirectIOAsync(space, op, position + done, segments.AsMemory(0, pages), processId);
            if (op == BioOp.Read)
                buffers.CopyOut(result.Bytes, destination.Span[done..]);
            buffers.ReturnFrames(Pool, pages);
            if (!result.Ok)
            {
                error = result.Error;
                break;
            }
            done += result.Bytes;
            if (result.Bytes < chunk)
                break;
        }
        return done > 0 || error == Errno.None ? new CacheResult(done) : new CacheResult(0, error);
    }

    /// <summary>
    /// O_DIRECT: writes back and waits for any cached pages overlapping the range, moves the data between the device
    /// and the caller's guest memory without the cache, and after a write drops the overlapping pages so the next
    /// buffered read sees the new data. <paramref name="position"/> and the segment lengths must be multiples of 512.
    /// Reads stop at the size; writes extend it. Returns the bytes moved.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<CacheResult> DirectIOAsync(AddressSpace space, BioOp op, long position, ReadOnlyMemory<BioSegment> segments, int processId = 0)
    {
        CheckSpace(space);
        if (!CheckDirect(space, op, position, segments.Span, out long length, out CacheResult refused))
            return refused;
        Errno error = await WriteAndWaitAsync(space, position >> CachePage.Shift, (position + length - 1) >> CachePage.Shift, processId);
        if (error != Errno.None)
            return new CacheResult(0, error);
        Statistics.DirectIos++;
        error = await space.Operations.DirectIOAsync(space, op, position, segments, processId);
        return await EndDirectIO(space, op, position, length, error);
    }

    /// <summary>
    /// The first half of <see cref="DirectIOAsync"/> for a block device's own mapping (<see cref="BlockDeviceMapping"/>)
    /// with nothing to write back first, done without waiting: the checks, the pending write error, the accounting and
    /// the bio, submitted. False when the mapping is not a block device's or has dirty pages or pages under writeback
    /// (the caller uses <see cref="DirectIOAsync"/>, which waits for them). True with <paramref name="bio"/> null when
    /// <paramref name="result"/> is final (refused, at or past the end, or a pending write error); otherwise the caller
    /// waits on the bio's completion and passes its status to <see cref="EndDirectIO(AddressSpace, BioOp, long, long, Bio, Errno)"/>.
    /// </summary>
    internal bool TryBeginDirectIO(AddressSpace space, BioOp op, long position, ReadOnlySpan<BioSegment> segments, int processId,
        out Bio? bio, out long length, out CacheResult result)
    {
        bio = null;
        CheckSpace(space);
        if (space.Operations is not BlockDeviceMapping mapping || space.DirtyPages > 0 || space.WritebackPages > 0)
        {
            length = 0;
            result = default;
            return false;
        }
        if (!CheckDirect(space, op, position, segments, out length, out result))
            return true;
        // filemap_write_and_wait_range on a clean mapping: nothing to write or wait for, only the pending error.
        Errno error = space.PendingWriteError;
        space.PendingWriteError = Errno.None;
        if (error != Errno.None)
        {
            result = new CacheResult(0, error);
            return true;
        }
        Statistics.DirectIos++;
        bio = mapping.SubmitDirect(op, position, segments, processId);
        return true;
    }

    /// <summary>The second half of <see cref="TryBeginDirectIO"/>, once the bio completed with <paramref name="status"/>: the bio back to its pool, then as <see cref="EndDirectIO(AddressSpace, BioOp, long, long, Errno)"/>.</summary>
    internal ValueTask<CacheResult> EndDirectIO(AddressSpace space, BioOp op, long position, long length, Bio bio, Errno status)
    {
        ((BlockDeviceMapping)space.Operations).ReleaseDirect(bio);
        return EndDirectIO(space, op, position, length, status);
    }

    /// <summary>
    /// After the device moved the data: a read's byte count stops at the size; a write drops the cached pages it
    /// overlaps (waiting only when one is locked or under writeback) and extends the size.
    /// </summary>
    private ValueTask<CacheResult> EndDirectIO(AddressSpace space, BioOp op, long position, long length, Errno error)
    {
        if (error != Errno.None)
            return new(new CacheResult(0, error));
        if (op == BioOp.Read)
            return new(new CacheResult((int)Math.Min(length, space.Size - position)));
        long firstIndex = position >> CachePage.Shift;
        long lastIndex = (position + length - 1) >> CachePage.Shift;
        if (!AnyPageIn(space, firstIndex, lastIndex))
            return new(ExtendAfterDirectWrite(space, position, length));
        return InvalidateAfterDirectWriteAsync(space, position, length, firstIndex, lastIndex);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CacheResult> InvalidateAfterDirectWriteAsync(AddressSpace space, long position, long length, long firstIndex, long lastIndex)
    {
        await InvalidateRangeAsync(space, firstIndex, lastIndex);
        return ExtendAfterDirectWrite(space, position, length);
    }

    private static CacheResult ExtendAfterDirectWrite(AddressSpace space, long position, long length)
    {
        if (position + length > space.Size)
            space.Size = position + length;
        return new CacheResult((int)length);
    }

    /// <summary>The checks of O_DIRECT: a read or a write, sector-aligned, not empty; a read at or past the size moves nothing.</summary>
    private static bool CheckDirect(AddressSpace space, BioOp op, long position, ReadOnlySpan<BioSegment> segments, out long length, out CacheResult refused)
    {
        length = 0;
        refused = default;
        if (op is not (BioOp.Read or BioOp.Write))
        {
            refused = new CacheResult(0, Errno.EINVAL);
            return false;
        }
        foreach (BioSegment segment in segments)
        {
            if (segment.Length <= 0 || segment.Length % Bio.SectorSize != 0)
            {
                refused = new CacheResult(0, Errno.EINVAL);
                return false;
            }
            length += segment.Length;
        }
        if (position < 0 || position % Bio.SectorSize != 0 || length == 0 || length > int.MaxValue)
        {
            refused = new CacheResult(0, Errno.EINVAL);
            return false;
        }
        if (op == BioOp.Read && position >= space.Size)
        {
            refused = new CacheResult(0);
            return false;
        }
        return true;
    }
}
