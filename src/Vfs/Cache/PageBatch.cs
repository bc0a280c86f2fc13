using System.Runtime.CompilerServices;
using Hardware.BlockLayer;

namespace Hardware.Vfs.Cache;

/// <summary>
/// A run of pages with consecutive indices in one address space, handed to the owner's operations to read or write
/// as one I/O (typically one bio whose segments are the page frames). Pooled by the cache; the pages are locked
/// (read) or under writeback (write) until the operation's task completes.
/// </summary>
public sealed class PageBatch
{
    private readonly CachePage[] _pages;
    private readonly Action _onDone;
    private ValueTask<Errno> _pending;

    internal PageBatch(PageCache cache, int capacity)
    {
        Cache = cache;
        _pages = new CachePage[capacity];
        _onDone = OnDone;
    }

    internal PageCache Cache { get; }

    public AddressSpace Space { get; private set; } = null!;

    public int Count { get; private set; }

    public int Capacity => _pages.Length;

    public ReadOnlySpan<CachePage> Pages => _pages.AsSpan(0, Count);

    public CachePage this[int i] => Pages[i];

    /// <summary>Page index of the first page.</summary>
    public long FirstIndex => _pages[0].Index;

    /// <summary>Byte position of the first page in the address space.</summary>
    public long Position => FirstIndex << CachePage.Shift;

    /// <summary>What the I/O is (Sync for a waited read or fsync, ReadAhead for speculation, Meta for the buffer cache).</summary>
    public BioFlags Flags { get; internal set; }

    public int ProcessId { get; internal set; }

    internal bool IsWrite { get; private set; }

    internal void Start(AddressSpace space, bool isWrite, BioFlags flags, int processId)
    {
        Space = space;
        IsWrite = isWrite;
        Flags = flags;
        ProcessId = processId;
        Count = 0;
    }

    internal bool IsFull => Count == _pages.Length;

    internal void Add(CachePage page)
    {
        if (Count > 0 && page.Index != _pages[Count - 1].Index + 1)
            throw new InvalidOperationException($"{page} does not follow {_pages[Count - 1]} in a batch");
        _pages[Count++] = page;
    }

    internal void Clear()
    {
        Array.Clear(_pages, 0, Count);
        Count = 0;
        Space = null!;
        _pending = default;
    }

    /// <summary>Starts the owner's operation and completes the batch when it ends, without the caller waiting.</summary>
    internal void Submit()
    {
        IAddressSpaceOperations operations = Space.Operations;
        _pending = IsWrite ? operations.WritePagesAsync(this) : operations.ReadPagesAsync(this);
        if (_pending.IsCompleted)
            OnDone();
        else
            _pending.GetAwaiter().UnsafeOnCompleted(_onDone);
    }

    private void OnDone()
    {
        Errno status = _pending.GetAwaiter().GetResult();
        _pending = default;
        Cache.EndBatch(this, status);
    }

    public override string ToString() => Count == 0 ? "empty batch" : $"{(IsWrite ? "write" : "read")} pages {FirstIndex}+{Count} of {Space.Name}";
}
