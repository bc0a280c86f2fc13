namespace Hardware.Vfs.Pipes;

/// <summary>A fixed-capacity FIFO of bytes over one array; copies at most two segments per call.</summary>
internal sealed class ByteRing
{
    private byte[] _buffer;
    private int _head;

    public ByteRing(int capacity)
    {
        _buffer = new byte[capacity];
    }

    public int Capacity => _buffer.Length;

    public int Count { get; private set; }

    public int Free => _buffer.Length - Count;

    /// <summary>Appends all of <paramref name="source"/>; the caller has checked <see cref="Free"/>.</summary>
    public void Write(ReadOnlySpan<byte> source)
    {
        int tail = (_head + Count) % _buffer.Length;
        int first = Math.Min(source.Length, _buffer.Length - tail);
        source[..first].CopyTo(_buffer.AsSpan(tail));
        source[first..].CopyTo(_buffer);
        Count += source.Length;
    }

    /// <summary>Removes up to <paramref name="destination"/>.Length bytes into it; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Count);
        int first = Math.Min(n, _buffer.Length - _head);
        _buffer.AsSpan(_head, first).CopyTo(destination);
        _buffer.AsSpan(0, n - first).CopyTo(destination[first..]);
        _head = (_head + n) % _buffer.Length;
        Count -= n;
        if (Count == 0)
            _head = 0;
        return n;
    }

    /// <summary>Moves the content into a new array of <paramref name="capacity"/> bytes (at least <see cref="Count"/>).</summary>
    public void Resize(int capacity)
    {
        var resized = new byte[capacity];
        int count = Count;
        Read(resized);
        _buffer = resized;
        _head = 0;
        Count = count;
    }
}
