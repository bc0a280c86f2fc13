namespace Hardware.Emulator.Storage;

/// <summary>
/// Where a drive's bytes live on the host: a sparse in-memory store or a raw image file. Offsets are bytes;
/// callers stay inside [0, Length). Reads of never-written ranges return zeros.
/// </summary>
public interface IBackingStore : IDisposable
{
    long Length { get; }

    void Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> source);

    /// <summary>The range no longer holds data; later reads return zeros (deterministic TRIM).</summary>
    void Discard(long offset, long length);

    /// <summary>Pushes written data to durable host storage (for image files).</summary>
    void Flush();
}
