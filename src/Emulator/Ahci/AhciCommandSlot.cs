using Hardware.Emulator.Ahci.Spec;

namespace Hardware.Emulator.Ahci;

/// <summary>
/// A command slot's state once the HBA has fetched it: its PRDT parsed once into arrays that grow to the largest
/// table seen and are then reused, so steady-state commands allocate nothing. Offsets into the transfer map to
/// entries through a cursor (sequential access is O(1)) with a binary search fallback.
/// </summary>
internal sealed class AhciCommandSlot
{
    private PrdEntry[] _entries = new PrdEntry[16];
    private long[] _entryStart = new long[17];
    private int _cursor;
    private int _interruptScan;

    public AhciCommandSlot(int index)
    {
        Index = index;
    }

    public int Index { get; }

    public bool Loaded { get; private set; }

    /// <summary>Issued with its PxSACT bit set: an NCQ command whose slot outlives its PxCI bit.</summary>
    public bool Queued { get; private set; }

    public bool IsWrite { get; private set; }

    public ulong HeaderAddress { get; private set; }

    public int EntryCount { get; private set; }

    /// <summary>Bytes the whole PRDT describes.</summary>
    public long TotalBytes => _entryStart[EntryCount];

    /// <summary>Parses <paramref name="prdt"/> (PRDTL entries of 16 bytes). Returns false when an entry breaks the alignment rules.</summary>
    public bool Load(ulong headerAddress, in CommandHeader header, ReadOnlySpan<byte> prdt, bool queued)
    {
        int count = header.PrdTableLength;
        if (_entries.Length < count)
        {
            int size = Math.Max(count, _entries.Length * 2);
            _entries = new PrdEntry[size];
            _entryStart = new long[size + 1];
        }
        bool wellFormed = true;
        long start = 0;
        for (int i = 0; i < count; i++)
        {
            PrdEntry entry = PrdEntry.Read(prdt.Slice(i * PrdEntry.Size, PrdEntry.Size));
            // DBA bit 0 is reserved (word alignment) and byte counts are even.
            wellFormed &= (entry.DataBase & 1) == 0 && (entry.ByteCount & 1) == 0;
            _entries[i] = entry;
            _entryStart[i] = start;
            start += entry.ByteCount;
        }
        _entryStart[count] = start;
        EntryCount = count;
        HeaderAddress = headerAddress;
        IsWrite = header.IsWrite;
        Queued = queued;
        Loaded = true;
        _cursor = 0;
        _interruptScan = 0;
        return wellFormed;
    }

    public void Unload() => Loaded = false;

    /// <summary>The entry holding byte <paramref name="offset"/> of the transfer, or -1 past the end of the PRDT.</summary>
    public int Locate(long offset)
    {
        if (offset < 0 || offset >= TotalBytes)
            return -1;
        if (offset >= _entryStart[_cursor] && offset < _entryStart[_cursor + 1])
            return _cursor;
        if (_cursor + 1 < EntryCount && offset >= _entryStart[_cursor + 1] && offset < _entryStart[_cursor + 2])
            return ++_cursor;
        int found = Array.BinarySearch(_entryStart, 0, EntryCount + 1, offset);
        _cursor = found >= 0 ? found : ~found - 1;
        // Zero-length entries cannot exist (DBC stores count - 1), so the start found is unique.
        return _cursor;
    }

    public ref readonly PrdEntry Entry(int index) => ref _entries[index];

    public long EntryStart(int index) => _entryStart[index];

    /// <summary>
    /// Whether an entry with its I bit set has been completely transferred since the last call, given that the
    /// first <paramref name="transferred"/> bytes have moved.
    /// </summary>
    public bool TakeCompletedInterruptEntries(long transferred)
    {
        bool any = false;
        while (_interruptScan < EntryCount && _entryStart[_interruptScan + 1] <= transferred)
        {
            any |= _entries[_interruptScan].InterruptOnCompletion;
            _interruptScan++;
        }
        return any;
    }
}
