using Hardware.Emulator.Simulation;

namespace Hardware.BlockLayer;

/// <summary>
/// One block I/O as a filesystem or a raw-device user submits it (Linux's struct bio): an operation, a start
/// sector, and the guest-memory segments the data moves to or from. Reusable: <see cref="Reset"/> readies it for
/// the next I/O, and the completion is awaited through <see cref="Completion"/>.
/// </summary>
public sealed class Bio
{
    public const int SectorSize = 512;

    private BioSegment[] _segments;

    public Bio(Simulation simulation, int segmentCapacity = 4)
    {
        Completion = new SimCompletion<Errno>(simulation);
        _segments = new BioSegment[Math.Max(1, segmentCapacity)];
    }

    public BioOp Op { get; set; }

    public BioFlags Flags { get; set; }

    /// <summary>First sector (512 bytes) on the device the bio is submitted to.</summary>
    public long Sector { get; set; }

    /// <summary>Length in sectors. Reads and writes derive it from their segments; discards set it.</summary>
    public int SectorCount { get; set; }

    /// <summary>The submitting simulated process (for plugging, fairness and the trace).</summary>
    public int ProcessId { get; set; }

    /// <summary>How the I/O ended; <see cref="Errno.None"/> for success.</summary>
    public Errno Status { get; private set; }

    /// <summary>Awaited by the submitter; completed exactly once per use.</summary>
    public SimCompletion<Errno> Completion { get; }

    /// <summary>Next bio of the same request (the request's chain, in sector order).</summary>
    public Bio? Next { get; set; }

    public int SegmentCount { get; private set; }

    public ReadOnlySpan<BioSegment> Segments => _segments.AsSpan(0, SegmentCount);

    public long EndSector => Sector + SectorCount;

    public long Bytes => (long)SectorCount * SectorSize;

    /// <summary>Appends a data segment; the sector count grows with it.</summary>
    public void AddSegment(BioSegment segment)
    {
        if (segment.Length <= 0 || segment.Length % SectorSize != 0)
            throw new ArgumentException($"a bio segment is a positive multiple of {SectorSize} bytes, not {segment.Length}", nameof(segment));
        if (SegmentCount == _segments.Length)
            Array.Resize(ref _segments, _segments.Length * 2);
        _segments[SegmentCount++] = segment;
        SectorCount += segment.Length / SectorSize;
    }

    /// <summary>Readies the bio for a new I/O.</summary>
    public void Reset(BioOp op, long sector, BioFlags flags = BioFlags.None, int processId = 0)
    {
        Op = op;
        Sector = sector;
        Flags = flags;
        ProcessId = processId;
        SectorCount = 0;
        SegmentCount = 0;
        Status = Errno.None;
        Next = null;
        Completion.Reset();
    }

    /// <summary>Ends the bio and wakes its submitter.</summary>
    public void Complete(Errno status)
    {
        Status = status;
        Completion.SetResult(status);
    }

    public override string ToString() => $"{Op} {Sector}+{SectorCount}{(Flags == BioFlags.None ? "" : " " + Flags)} pid {ProcessId}";
}
