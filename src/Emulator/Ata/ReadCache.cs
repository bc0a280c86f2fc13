namespace Hardware.Emulator.Ata;

/// <summary>How a read was served by the drive's buffer.</summary>
internal enum ReadCacheResult
{
    Miss,
    /// <summary>Every sector was already in a read segment.</summary>
    Hit,
    /// <summary>Some sectors came (or are coming) from read-ahead.</summary>
    ReadAheadHit,
}

/// <summary>
/// Read segments and the read-ahead that fills them, as timing bookkeeping: which LBA ranges the drive's buffer holds
/// and from when. The bytes themselves always come from the store overlaid with dirty write data, which is what the
/// buffer would hold, so a segment never needs invalidating for correctness.
/// </summary>
/// <remarks>
/// Read-ahead streams sectors at the rate the medium just showed for the demand read; sector L+k of a window that
/// started at time T is in at T + k * rate. The media model itself is told what was read (one access per window, or up
/// to the point where the read-ahead is cut) so its head position stays right.
/// </remarks>
internal sealed class ReadCache
{
    private readonly long[] _start;
    private readonly long[] _end;
    private readonly long[] _demandEnd;
    private readonly long[] _lastUse;
    private readonly long _segmentSectors;
    private readonly long _readAheadSectors;
    private readonly long _capacitySectors;
    private long _clock;

    public ReadCache(int segments, long cacheBytes, long readAheadBytes, int sectorSize, long capacitySectors)
    {
        int count = cacheBytes > 0 ? Math.Max(0, segments) : 0;
        _segmentSectors = count > 0 ? cacheBytes / count / sectorSize : 0;
        if (_segmentSectors == 0)
            count = 0;
        _start = new long[count];
        _end = new long[count];
        _demandEnd = new long[count];
        _lastUse = new long[count];
        _readAheadSectors = Math.Min(Math.Max(0, readAheadBytes) / sectorSize, _segmentSectors);
        _capacitySectors = capacitySectors;
        Clear();
    }

    public bool IsEnabled => _start.Length > 0;

    public bool CanReadAhead => IsEnabled && _readAheadSectors > 0;

    // The active read-ahead: window [WindowStart, WindowEnd) streaming from WindowBaseTime, continuing up to Target.
    public bool ReadAheadActive { get; private set; }
    public int ReadAheadSegment { get; private set; } = -1;
    public int ReadAheadMediaSlot { get; private set; } = -1;
    public long WindowStart { get; private set; }
    public long WindowEnd { get; private set; }
    public long WindowBaseTime { get; private set; }
    public double NsPerSector { get; private set; }
    public long Target { get; private set; }
    /// <summary>The furthest sector end a waiting read was promised; a cut never stops short of it.</summary>
    public long PromisedEnd { get; private set; }
    public long Generation { get; private set; }

    /// <summary>
    /// Looks a read up. A hit on the active read-ahead may lie ahead of it: <paramref name="availableAt"/> is when its
    /// last sector is in, and the read-ahead target moves on so a sequential stream keeps streaming.
    /// </summary>
    public ReadCacheResult Lookup(long lba, int count, long now, out long availableAt)
    {
        availableAt = now;
        long end = lba + count;
        for (int s = 0; s < _start.Length; s++)
        {
            if (_end[s] <= _start[s] || lba < _start[s])
                continue;
            bool streaming = ReadAheadActive && s == ReadAheadSegment;
            if (!streaming)
            {
                if (end > _end[s])
                    continue;
                return Touch(s, end);
            }
            if (lba >= Target)
                continue;
            if (end > WindowStart)
            {
                availableAt = Math.Max(now, TimeOfSectorEnd(end));
                PromisedEnd = Math.Max(PromisedEnd, end);
            }
            if (end + _readAheadSectors > Target)
                Target = Math.Min(_capacitySectors, end + _readAheadSectors);
            _start[s] = Math.Max(_start[s], Target - _segmentSectors);
            return Touch(s, end);
        }
        return ReadCacheResult.Miss;
    }

    /// <summary>A demand read of [lba, lba+count) came off the medium: its segment, extended or newly taken (LRU).</summary>
    public int RecordMediaRead(long lba, int count)
    {
        long end = lba + count;
        int segment = -1;
        for (int s = 0; s < _start.Length; s++)
        {
            if (_end[s] > _start[s] && lba >= _start[s] && lba <= _end[s])
            {
                segment = s;
                break;
            }
        }
        if (segment < 0)
        {
            segment = 0;
            for (int s = 1; s < _start.Length; s++)
            {
                if (_lastUse[s] < _lastUse[segment])
                    segment = s;
            }
            _start[segment] = lba;
            _end[segment] = end;
        }
        else
        {
            _end[segment] = Math.Max(_end[segment], end);
        }
        _start[segment] = Math.Max(_start[segment], _end[segment] - _segmentSectors);
        _demandEnd[segment] = end;
        _lastUse[segment] = ++_clock;
        return segment;
    }

    /// <summary>Starts reading ahead after a demand read that ended at <paramref name="lba"/>, at <paramref name="now"/>.</summary>
    public bool TryStart(int segment, int mediaSlot, long lba, long now, double nsPerSector)
    {
        if (!CanReadAhead || lba >= _capacitySectors)
            return false;
        Generation++;
        ReadAheadActive = true;
        ReadAheadSegment = segment;
        ReadAheadMediaSlot = mediaSlot;
        Target = Math.Min(_capacitySectors, lba + _readAheadSectors);
        PromisedEnd = lba;
        StartWindow(lba, now, nsPerSector);
        return true;
    }

    /// <summary>When the current window's last sector is in.</summary>
    public long WindowEndTime => TimeOfSectorEnd(WindowEnd);

    /// <summary>The window finished; the medium said it really ended at <paramref name="mediaEnd"/>. Continue or stop.</summary>
    public bool AdvanceWindow(long mediaEnd)
    {
        long sectors = WindowEnd - WindowStart;
        _end[ReadAheadSegment] = Math.Max(_end[ReadAheadSegment], WindowEnd);
        _start[ReadAheadSegment] = Math.Max(_start[ReadAheadSegment], _end[ReadAheadSegment] - _segmentSectors);
        if (Target <= WindowEnd)
        {
            Stop();
            return false;
        }
        double measured = sectors > 0 ? Math.Max(0, (mediaEnd - WindowBaseTime) / (double)sectors) : NsPerSector;
        StartWindow(WindowEnd, mediaEnd, measured);
        return true;
    }

    /// <summary>
    /// Sectors from <see cref="WindowStart"/> the read-ahead has read by <paramref name="now"/> (never fewer than a
    /// waiting read was promised): what to tell the medium when the read-ahead is cut.
    /// </summary>
    public long SectorsReadBy(long now)
    {
        long read = NsPerSector <= 0
            ? WindowEnd - WindowStart
            : (long)Math.Floor(Math.Max(0, now - WindowBaseTime) / NsPerSector);
        read = Math.Min(read, WindowEnd - WindowStart);
        return Math.Max(read, PromisedEnd - WindowStart);
    }

    /// <summary>The read-ahead stops after <paramref name="sectors"/> sectors of the current window.</summary>
    public void Cut(long sectors)
    {
        long end = WindowStart + sectors;
        _end[ReadAheadSegment] = Math.Max(_end[ReadAheadSegment], end);
        _start[ReadAheadSegment] = Math.Max(_start[ReadAheadSegment], _end[ReadAheadSegment] - _segmentSectors);
        Stop();
    }

    public void Clear()
    {
        for (int s = 0; s < _start.Length; s++)
        {
            _start[s] = 0;
            _end[s] = 0;
            _demandEnd[s] = 0;
            _lastUse[s] = 0;
        }
        Stop();
    }

    private void StartWindow(long lba, long baseTime, double nsPerSector)
    {
        WindowStart = lba;
        WindowEnd = Math.Min(Target, lba + _readAheadSectors);
        WindowBaseTime = baseTime;
        NsPerSector = Math.Max(0, nsPerSector);
    }

    private void Stop()
    {
        ReadAheadActive = false;
        ReadAheadSegment = -1;
        ReadAheadMediaSlot = -1;
        Generation++;
    }

    private long TimeOfSectorEnd(long end) =>
        WindowBaseTime + (long)Math.Ceiling(Math.Max(0, end - WindowStart) * NsPerSector);

    private ReadCacheResult Touch(int segment, long end)
    {
        _lastUse[segment] = ++_clock;
        if (end <= _demandEnd[segment])
            return ReadCacheResult.Hit;
        _demandEnd[segment] = end;
        return ReadCacheResult.ReadAheadHit;
    }
}
