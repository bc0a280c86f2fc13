namespace Hardware.Emulator.Ata;

/// <summary>
/// The drive's volatile write-back cache: lines of eight logical sectors, each with a dirty mask (data newer than the
/// medium) and a destaging mask (dirty data being written to the medium right now). Line storage is carved from
/// chunks that are allocated on first use and kept, so a cache in steady state allocates nothing; a dictionary with its
/// full capacity reserved maps line numbers to storage.
/// </summary>
internal sealed class WriteBackCache
{
    public const int SectorsPerLine = 8;
    private const int LinesPerChunk = 256;

    private readonly int _sectorSize;
    private readonly int _lineBytes;
    private readonly int _capacityLines;
    private readonly byte[]?[] _chunks;
    private readonly long[] _lineNumber;
    private readonly byte[] _dirty;
    private readonly byte[] _destaging;
    private readonly int[] _freeSlots;
    private readonly Dictionary<long, int> _map;
    // Destage order (C-SCAN): lines with dirty data not yet being destaged wait in two heaps, this sweep (at or after
    // the cursor) and the next one (behind it). Entries go stale when their line is freed or destaged; a slot's live
    // entry is the one whose line number _queuedLine records, so a slot is never live in the heaps twice.
    private readonly long[] _queuedLine;
    private readonly int[] _deferred;
    private LineHeap _sweep;
    private LineHeap _nextSweep;
    private long _cursorLine;
    private int _freeCount;
    private int _reservedLines;

    public WriteBackCache(long cacheBytes, int sectorSize)
    {
        _sectorSize = sectorSize;
        _lineBytes = sectorSize * SectorsPerLine;
        _capacityLines = (int)Math.Min(int.MaxValue / 2, Math.Max(0, cacheBytes) / _lineBytes);
        _chunks = new byte[]?[(_capacityLines + LinesPerChunk - 1) / LinesPerChunk];
        _lineNumber = new long[_capacityLines];
        _dirty = new byte[_capacityLines];
        _destaging = new byte[_capacityLines];
        _freeSlots = new int[_capacityLines];
        _map = new Dictionary<long, int>(_capacityLines);
        _queuedLine = new long[_capacityLines];
        _deferred = new int[_capacityLines];
        _sweep = new LineHeap(2 * _capacityLines);
        _nextSweep = new LineHeap(2 * _capacityLines);
        Clear();
    }

    public bool IsEnabled => _capacityLines > 0;

    public int CapacityLines => _capacityLines;

    public int UsedLines => _capacityLines - _freeCount;

    /// <summary>Lines neither in use nor promised to a write whose data is on its way.</summary>
    public int AvailableLines => _freeCount - _reservedLines;

    public long DirtySectors { get; private set; }

    public static int LinesSpanned(long lba, int count) =>
        (int)((lba + count - 1) / SectorsPerLine - lba / SectorsPerLine + 1);

    /// <summary>Promises lines to a write before its data phase, so concurrent writes cannot overcommit the cache.</summary>
    public bool TryReserve(int lines)
    {
        if (lines > AvailableLines)
            return false;
        _reservedLines += lines;
        return true;
    }

    public void Release(int lines) => _reservedLines -= lines;

    /// <summary>
    /// Makes sure every line of [lba, lba+count) has storage, drawing on the <paramref name="reservedLines"/> promised
    /// to this write (the rest of the promise is returned).
    /// </summary>
    public void Prepare(long lba, int count, int reservedLines)
    {
        long first = lba / SectorsPerLine;
        long last = (lba + count - 1) / SectorsPerLine;
        int used = 0;
        for (long line = first; line <= last; line++)
        {
            if (_map.ContainsKey(line))
                continue;
            int slot = _freeSlots[--_freeCount];
            _lineNumber[slot] = line;
            _dirty[slot] = 0;
            _destaging[slot] = 0;
            _map.Add(line, slot);
            used++;
        }
        if (used > reservedLines)
            throw new InvalidOperationException($"a cached write used {used} lines but reserved {reservedLines}");
        _reservedLines -= reservedLines;
    }

    /// <summary>Copies host data for the disk byte range starting at <paramref name="diskOffset"/> into prepared lines.</summary>
    public void CopyIn(long diskOffset, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            long line = diskOffset / _lineBytes;
            int within = (int)(diskOffset % _lineBytes);
            int length = Math.Min(source.Length, _lineBytes - within);
            source[..length].CopyTo(LineData(_map[line]).Slice(within, length));
            diskOffset += length;
            source = source[length..];
        }
    }

    /// <summary>The sectors now hold the newest data: dirty, and no longer part of a destage that copied older data.</summary>
    public void MarkDirty(long lba, int count)
    {
        long end = lba + count;
        for (long sector = lba; sector < end;)
        {
            long line = sector / SectorsPerLine;
            int slot = _map[line];
            long lineEnd = Math.Min(end, (line + 1) * SectorsPerLine);
            for (; sector < lineEnd; sector++)
            {
                byte bit = Bit(sector);
                if ((_dirty[slot] & bit) == 0)
                    DirtySectors++;
                _dirty[slot] |= bit;
                _destaging[slot] &= (byte)~bit;
            }
            Enqueue(slot);
        }
    }

    /// <summary>Replaces the bytes of dirty sectors that overlap the disk range with the cached data.</summary>
    public void OverlayDirty(long diskOffset, Span<byte> destination)
    {
        if (DirtySectors == 0)
            return;
        long end = diskOffset + destination.Length;
        long firstSector = diskOffset / _sectorSize;
        long lastSector = (end - 1) / _sectorSize;
        for (long line = firstSector / SectorsPerLine; line <= lastSector / SectorsPerLine; line++)
        {
            if (!_map.TryGetValue(line, out int slot) || _dirty[slot] == 0)
                continue;
            Span<byte> data = LineData(slot);
            for (int i = 0; i < SectorsPerLine; i++)
            {
                if ((_dirty[slot] & (1 << i)) == 0)
                    continue;
                long sectorStart = (line * SectorsPerLine + i) * _sectorSize;
                long from = Math.Max(sectorStart, diskOffset);
                long to = Math.Min(sectorStart + _sectorSize, end);
                if (from >= to)
                    continue;
                data.Slice((int)(from - line * _lineBytes), (int)(to - from))
                    .CopyTo(destination[(int)(from - diskOffset)..]);
            }
        }
    }

    public bool IsFullyDirty(long lba, int count)
    {
        if (DirtySectors < count)
            return false;
        for (long sector = lba; sector < lba + count; sector++)
        {
            if (!_map.TryGetValue(sector / SectorsPerLine, out int slot) || (_dirty[slot] & Bit(sector)) == 0)
                return false;
        }
        return true;
    }

    public bool IsDirty(long sector) =>
        _map.TryGetValue(sector / SectorsPerLine, out int slot) && (_dirty[slot] & Bit(sector)) != 0;

    /// <summary>
    /// A write that bypasses the cache (FUA, too large) carries newer data than dirty lines it overlaps: those lines
    /// take the new data so no read can see the older cached copy.
    /// </summary>
    public void UpdateIfDirty(long lba, int count, ReadOnlySpan<byte> data)
    {
        if (DirtySectors == 0)
            return;
        for (long sector = lba; sector < lba + count; sector++)
        {
            if (!_map.TryGetValue(sector / SectorsPerLine, out int slot) || (_dirty[slot] & Bit(sector)) == 0)
                continue;
            data.Slice((int)(sector - lba) * _sectorSize, _sectorSize)
                .CopyTo(LineData(slot).Slice((int)(sector % SectorsPerLine) * _sectorSize, _sectorSize));
            _destaging[slot] &= (byte)~Bit(sector);
            Enqueue(slot);
        }
    }

    /// <summary>
    /// Picks the next run of contiguous dirty sectors not already being destaged, in ascending LBA order from where the
    /// last run ended and wrapping around (C-SCAN), skipping lines that overlap <paramref name="blocked"/>.
    /// </summary>
    public bool TrySelectDestageRun(int maxSectors, ReadOnlySpan<LbaExtent> blocked, out long lba, out int count)
    {
        lba = 0;
        count = 0;
        int deferred = 0;
        bool found = false;
        while (!found)
        {
            if (_sweep.Count == 0)
            {
                if (_nextSweep.Count == 0)
                    break;
                (_sweep, _nextSweep) = (_nextSweep, _sweep);
                _cursorLine = 0;
            }
            _sweep.TryPop(out long line, out int slot);
            if (_queuedLine[slot] != line)
                continue; // a stale entry: the line was freed, or the slot went back in later
            _queuedLine[slot] = -1;
            if (_lineNumber[slot] != line || Pending(slot) == 0)
                continue;
            if (IsBlocked(line, blocked))
            {
                _deferred[deferred++] = slot;
                continue;
            }
            lba = line * SectorsPerLine + System.Numerics.BitOperations.TrailingZeroCount(Pending(slot));
            count = RunLength(lba, line, maxSectors, blocked);
            _cursorLine = (lba + count) / SectorsPerLine;
            found = true;
        }
        for (int i = 0; i < deferred; i++)
            Enqueue(_deferred[i]);
        return found;
    }

    private int RunLength(long lba, long startLine, int maxSectors, ReadOnlySpan<LbaExtent> blocked)
    {
        int count = 0;
        long sector = lba;
        while (count < maxSectors)
        {
            long line = sector / SectorsPerLine;
            if (!_map.TryGetValue(line, out int slot) || (line != startLine && IsBlocked(line, blocked)))
                break;
            byte bit = Bit(sector);
            if ((_dirty[slot] & bit) == 0 || (_destaging[slot] & bit) != 0)
                break;
            count++;
            sector++;
        }
        return count;
    }

    /// <summary>Copies the run into <paramref name="staging"/> and marks it as being destaged.</summary>
    public void BeginDestage(long lba, int count, Span<byte> staging)
    {
        for (long sector = lba; sector < lba + count; sector++)
        {
            int slot = _map[sector / SectorsPerLine];
            LineData(slot).Slice((int)(sector % SectorsPerLine) * _sectorSize, _sectorSize)
                .CopyTo(staging.Slice((int)(sector - lba) * _sectorSize, _sectorSize));
            _destaging[slot] |= Bit(sector);
        }
        // A run may stop inside a line (a hole, or the length limit): what is left there still has to go.
        Enqueue(_map[lba / SectorsPerLine]);
        Enqueue(_map[(lba + count - 1) / SectorsPerLine]);
    }

    /// <summary>
    /// The run is on the medium. Sectors rewritten by the host meanwhile lost their destaging bit and stay dirty;
    /// the others are clean, and lines left with nothing dirty are freed.
    /// </summary>
    public void CompleteDestage(long lba, int count)
    {
        for (long sector = lba; sector < lba + count; sector++)
        {
            if (!_map.TryGetValue(sector / SectorsPerLine, out int slot))
                continue;
            byte bit = Bit(sector);
            if ((_destaging[slot] & bit) == 0)
                continue;
            _destaging[slot] &= (byte)~bit;
            _dirty[slot] &= (byte)~bit;
            DirtySectors--;
            if (_dirty[slot] == 0)
                FreeLine(slot);
        }
    }

    /// <summary>TRIM: cached data of the range must never reach the medium. Returns the dirty sectors dropped.</summary>
    public long Discard(long lba, long count)
    {
        if (DirtySectors == 0)
            return 0;
        long dropped = 0;
        long end = lba + count;
        if (count / SectorsPerLine > _capacityLines)
        {
            // A huge range: walking the lines in use is cheaper than walking the range.
            for (int slot = 0; slot < _capacityLines; slot++)
            {
                long line = _lineNumber[slot];
                if (line >= 0 && line * SectorsPerLine < end && (line + 1) * SectorsPerLine > lba)
                    dropped += DiscardInLine(slot, lba, end);
            }
            return dropped;
        }
        for (long line = lba / SectorsPerLine; line <= (end - 1) / SectorsPerLine; line++)
        {
            if (_map.TryGetValue(line, out int slot))
                dropped += DiscardInLine(slot, lba, end);
        }
        return dropped;
    }

    /// <summary>Power loss: everything cached is gone. Returns the dirty sectors lost.</summary>
    public long Clear()
    {
        long lost = DirtySectors;
        _map.Clear();
        for (int slot = 0; slot < _capacityLines; slot++)
        {
            _lineNumber[slot] = -1;
            _dirty[slot] = 0;
            _destaging[slot] = 0;
            _queuedLine[slot] = -1;
            _freeSlots[slot] = _capacityLines - 1 - slot;
        }
        _sweep.Clear();
        _nextSweep.Clear();
        _cursorLine = 0;
        _freeCount = _capacityLines;
        _reservedLines = 0;
        DirtySectors = 0;
        return lost;
    }

    private long DiscardInLine(int slot, long lba, long end)
    {
        long line = _lineNumber[slot];
        long dropped = 0;
        for (int i = 0; i < SectorsPerLine; i++)
        {
            long sector = line * SectorsPerLine + i;
            byte bit = (byte)(1 << i);
            if (sector < lba || sector >= end || (_dirty[slot] & bit) == 0)
                continue;
            _dirty[slot] &= (byte)~bit;
            _destaging[slot] &= (byte)~bit;
            dropped++;
        }
        DirtySectors -= dropped;
        if (_dirty[slot] == 0)
            FreeLine(slot);
        return dropped;
    }

    private void FreeLine(int slot)
    {
        _map.Remove(_lineNumber[slot]);
        _lineNumber[slot] = -1;
        _destaging[slot] = 0;
        _queuedLine[slot] = -1;
        _freeSlots[_freeCount++] = slot;
    }

    private int Pending(int slot) => _dirty[slot] & ~_destaging[slot];

    /// <summary>Puts a line with pending dirty data in the sweep it belongs to, unless it is there already.</summary>
    private void Enqueue(int slot)
    {
        long line = _lineNumber[slot];
        if (line < 0 || Pending(slot) == 0 || _queuedLine[slot] == line)
            return;
        LineHeap heap = line >= _cursorLine ? _sweep : _nextSweep;
        if (heap.IsFull)
        {
            RebuildQueues();
            heap = line >= _cursorLine ? _sweep : _nextSweep;
        }
        _queuedLine[slot] = line;
        heap.Push(line, slot);
    }

    /// <summary>Drops the stale entries that piled up (each heap holds twice the lines), keeping the live ones.</summary>
    private void RebuildQueues()
    {
        _sweep.Clear();
        _nextSweep.Clear();
        for (int slot = 0; slot < _capacityLines; slot++)
        {
            _queuedLine[slot] = -1;
            long line = _lineNumber[slot];
            if (line >= 0 && Pending(slot) != 0)
            {
                _queuedLine[slot] = line;
                (line >= _cursorLine ? _sweep : _nextSweep).Push(line, slot);
            }
        }
    }

    private Span<byte> LineData(int slot)
    {
        int chunkIndex = slot / LinesPerChunk;
        byte[] chunk = _chunks[chunkIndex] ??= new byte[LinesPerChunk * _lineBytes];
        return chunk.AsSpan((slot % LinesPerChunk) * _lineBytes, _lineBytes);
    }

    private static bool IsBlocked(long line, ReadOnlySpan<LbaExtent> blocked)
    {
        foreach (LbaExtent extent in blocked)
        {
            if (extent.Overlaps(line * SectorsPerLine, SectorsPerLine))
                return true;
        }
        return false;
    }

    private static byte Bit(long sector) => (byte)(1 << (int)(sector % SectorsPerLine));
}
