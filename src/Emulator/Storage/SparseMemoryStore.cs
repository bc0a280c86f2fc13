namespace Hardware.Emulator.Storage;

/// <summary>
/// A drive's bytes in host memory, allocated a chunk at a time on first write: a 1 TiB store costs nothing until it is
/// written, never-written chunks read as zeros, and writing zeros where nothing was written allocates nothing.
/// Discarded chunks go back to a free list, so a steady mix of writes and discards stops allocating.
/// </summary>
public sealed class SparseMemoryStore : IBackingStore
{
    public const int DefaultChunkBytes = 64 * 1024;

    private readonly Dictionary<long, byte[]> _chunks = new();
    private readonly Stack<byte[]> _free = new();
    private readonly int _chunkBytes;
    private readonly int _chunkShift;

    public SparseMemoryStore(long length, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (chunkBytes < 512 || (chunkBytes & (chunkBytes - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "chunk size must be a power of two of at least 512 bytes");
        Length = length;
        _chunkBytes = chunkBytes;
        _chunkShift = System.Numerics.BitOperations.Log2((uint)chunkBytes);
    }

    public long Length { get; }

    public int ChunkBytes => _chunkBytes;

    /// <summary>Host memory held for data: written chunks times the chunk size.</summary>
    public long AllocatedBytes => (long)_chunks.Count * _chunkBytes;

    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (!destination.IsEmpty)
        {
            int within = (int)(offset & (_chunkBytes - 1));
            int length = Math.Min(destination.Length, _chunkBytes - within);
            if (_chunks.TryGetValue(offset >> _chunkShift, out byte[]? chunk))
                chunk.AsSpan(within, length).CopyTo(destination);
            else
                destination[..length].Clear();
            offset += length;
            destination = destination[length..];
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        while (!source.IsEmpty)
        {
            int within = (int)(offset & (_chunkBytes - 1));
            int length = Math.Min(source.Length, _chunkBytes - within);
            ReadOnlySpan<byte> piece = source[..length];
            long index = offset >> _chunkShift;
            if (_chunks.TryGetValue(index, out byte[]? chunk))
                piece.CopyTo(chunk.AsSpan(within));
            else if (piece.ContainsAnyExcept((byte)0))
            {
                chunk = RentChunk();
                piece.CopyTo(chunk.AsSpan(within));
                _chunks.Add(index, chunk);
            }
            offset += length;
            source = source[length..];
        }
    }

    public void Discard(long offset, long length)
    {
        CheckRange(offset, length);
        long end = offset + length;
        while (offset < end)
        {
            int within = (int)(offset & (_chunkBytes - 1));
            int piece = (int)Math.Min(end - offset, _chunkBytes - within);
            long index = offset >> _chunkShift;
            if (_chunks.TryGetValue(index, out byte[]? chunk))
            {
                chunk.AsSpan(within, piece).Clear();
                if (piece == _chunkBytes || !chunk.AsSpan().ContainsAnyExcept((byte)0))
                {
                    _chunks.Remove(index);
                    _free.Push(chunk);
                }
            }
            offset += piece;
        }
    }

    /// <summary>Memory is as durable as this store gets.</summary>
    public void Flush()
    {
    }

    public void Dispose()
    {
        _chunks.Clear();
        _free.Clear();
    }

    private byte[] RentChunk()
    {
        if (_free.TryPop(out byte[]? chunk))
        {
            Array.Clear(chunk);
            return chunk;
        }
        return new byte[_chunkBytes];
    }

    private void CheckRange(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"range {offset}+{length} is outside the store of {Length} bytes");
    }
}
