using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// The segment list and the guest frames of one O_DIRECT bounce chunk (at most <see cref="PageCache.DirectChunkPages"/>
/// pages): the caller's buffer is host memory, so the device DMAs into or out of these frames instead. The arrays are
/// kept for reuse; the frames are rented per chunk and given back as soon as its data has moved.
/// </summary>
public sealed class DirectBounceBuffers
{
    public BioSegment[] Segments { get; } = new BioSegment[PageCache.DirectChunkPages];

    public CachePage[] Frames { get; } = new CachePage[PageCache.DirectChunkPages];

    /// <summary>Rents <paramref name="count"/> frames, or none (false, ENOMEM to the caller) when the pool runs out.</summary>
    public bool TryRentFrames(PagePool pool, string renter, int count)
    {
        int rented = 0;
        while (rented < count && pool.TryRent(renter, out Frames[rented]))
            rented++;
        if (rented == count)
            return true;
        ReturnFrames(pool, rented);
        return false;
    }

    public void ReturnFrames(PagePool pool, int count)
    {
        for (int i = 0; i < count; i++)
        {
            pool.Return(Frames[i]);
            Frames[i] = null!;
        }
    }

    /// <summary>A read's first <paramref name="bytes"/> out of the frames into <paramref name="destination"/>.</summary>
    public void CopyOut(int bytes, Span<byte> destination)
    {
        for (int i = 0; i * CachePage.Size < bytes; i++)
        {
            int length = Math.Min(CachePage.Size, bytes - i * CachePage.Size);
            Frames[i].Bytes[..length].CopyTo(destination.Slice(i * CachePage.Size, length));
        }
    }
}
