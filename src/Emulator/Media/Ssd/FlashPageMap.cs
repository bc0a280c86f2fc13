namespace Hardware.Emulator.Media;

/// <summary>
/// Which flash pages hold data. A bit per page, in chunks allocated only when a page leaves the default state,
/// so a preconditioned 500 GB drive costs nothing until something is trimmed.
/// </summary>
internal sealed class FlashPageMap
{
    private const int ChunkShift = 16;
    private const int ChunkPages = 1 << ChunkShift;

    private readonly ulong[]?[] _unmappedChunks;
    private readonly bool _unmappedByDefault;

    public FlashPageMap(long pages, bool mappedByDefault)
    {
        _unmappedChunks = new ulong[]?[(pages + ChunkPages - 1) >> ChunkShift];
        _unmappedByDefault = !mappedByDefault;
    }

    public bool IsMapped(long page)
    {
        ulong[]? chunk = _unmappedChunks[page >> ChunkShift];
        if (chunk is null) return !_unmappedByDefault;
        int bit = (int)(page & (ChunkPages - 1));
        return (chunk[bit >> 6] & (1UL << bit)) == 0;
    }

    public void SetMapped(long page, bool mapped)
    {
        long chunkIndex = page >> ChunkShift;
        ulong[]? chunk = _unmappedChunks[chunkIndex];
        if (chunk is null)
        {
            if (mapped != _unmappedByDefault) return;
            chunk = new ulong[ChunkPages / 64];
            if (_unmappedByDefault) Array.Fill(chunk, ulong.MaxValue);
            _unmappedChunks[chunkIndex] = chunk;
        }
        int bit = (int)(page & (ChunkPages - 1));
        if (mapped) chunk[bit >> 6] &= ~(1UL << bit);
        else chunk[bit >> 6] |= 1UL << bit;
    }
}
