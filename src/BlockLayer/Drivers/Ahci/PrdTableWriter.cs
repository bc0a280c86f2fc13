using Hardware.Emulator.Ahci.Spec;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// Fills a command table's PRDT straight from a request's segments (zero copy): segments that continue each other
/// in guest memory become one region, and a region longer than a PRD entry can describe (4 MiB) is split.
/// </summary>
internal ref struct PrdTableWriter
{
    private readonly Span<byte> _table;
    private readonly int _capacity;
    private ulong _runStart;
    private long _runLength;

    public PrdTableWriter(Span<byte> table, int capacity)
    {
        _table = table;
        _capacity = capacity;
    }

    public int Entries { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>More entries were needed than the table holds; the table content is then meaningless.</summary>
    public bool Overflowed { get; private set; }

    public void AddRequest(Request request)
    {
        for (Bio? bio = request.FirstBio; bio is not null; bio = bio.Next)
        {
            foreach (BioSegment segment in bio.Segments)
                Add(segment);
        }
    }

    public void Add(BioSegment segment)
    {
        Bytes += segment.Length;
        if (_runLength > 0 && _runStart + (ulong)_runLength == segment.Address)
        {
            _runLength += segment.Length;
            return;
        }
        EmitRun();
        _runStart = segment.Address;
        _runLength = segment.Length;
    }

    /// <summary>Writes the last region; returns the entry count (PRDTL).</summary>
    public int Finish()
    {
        EmitRun();
        return Entries;
    }

    private void EmitRun()
    {
        while (_runLength > 0)
        {
            if (Entries == _capacity)
            {
                Overflowed = true;
                _runLength = 0;
                return;
            }
            int piece = (int)Math.Min(_runLength, PrdEntry.MaxByteCount);
            new PrdEntry { DataBase = _runStart, ByteCount = piece }.Write(_table[(Entries * PrdEntry.Size)..]);
            Entries++;
            _runStart += (ulong)piece;
            _runLength -= piece;
        }
    }
}
