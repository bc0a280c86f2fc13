namespace Hardware.Emulator.Media;

/// <summary>
/// Everything that defines one drive model: identity, capacity, interface, cache and the parameters of its media
/// model. Built-in presets are profiles; a JSON file with the same fields defines a new device without code.
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>Preset name, e.g. "hdd-7200".</summary>
    public required string Name { get; init; }

    /// <summary>"hdd", "ssd" or "ram": which media model interprets the parameters.</summary>
    public required string Kind { get; init; }

    /// <summary>What the figures come from (the real drive and datasheet a preset is calibrated to).</summary>
    public string Description { get; init; } = "";

    /// <summary>IDENTIFY words 27-46 (40 ASCII characters at most).</summary>
    public string Model { get; init; } = "HWSTACK EMULATED DISK";

    /// <summary>IDENTIFY words 10-19 (20 characters at most).</summary>
    public string Serial { get; init; } = "HWS0000000001";

    /// <summary>IDENTIFY words 23-26 (8 characters at most).</summary>
    public string Firmware { get; init; } = "HWS1.0";

    public long CapacityBytes { get; init; }

    public int LogicalSectorSize { get; init; } = 512;

    public int PhysicalSectorSize { get; init; } = 512;

    /// <summary>NCQ queue depth reported in IDENTIFY word 75 (1-32); 0 means no NCQ.</summary>
    public int NcqDepth { get; init; } = 32;

    /// <summary>Fastest SATA generation (1, 2 or 3).</summary>
    public int LinkGeneration { get; init; } = 3;

    /// <summary>On-drive cache size in bytes, shared by read segments and write-back data.</summary>
    public long CacheBytes { get; init; }

    /// <summary>Number of read cache segments.</summary>
    public int CacheSegments { get; init; } = 16;

    /// <summary>How far the drive reads ahead after a read, in bytes (0 = none).</summary>
    public long ReadAheadBytes { get; init; }

    /// <summary>Volatile write-back cache enabled at power-on (SET FEATURES 02h/82h switch it).</summary>
    public bool WriteCacheEnabled { get; init; } = true;

    /// <summary>Firmware time to decode and start a command, in microseconds.</summary>
    public double CommandOverheadUs { get; init; }

    public bool SupportsTrim { get; init; }

    public HddParameters? Hdd { get; init; }

    public SsdParameters? Ssd { get; init; }

    public RamParameters? Ram { get; init; }
}

/// <summary>Parameters of a rotating disk (kind "hdd"). Rates are decimal MB/s (10^6 bytes), as datasheets give them.</summary>
public sealed record HddParameters
{
    public int Rpm { get; init; }

    /// <summary>Mean read seek over uniformly random LBA pairs, including settle (datasheet "average seek, read").</summary>
    public double AvgSeekMs { get; init; }

    /// <summary>One-cylinder read seek including settle (datasheet "track-to-track" or "single track").</summary>
    public double TrackToTrackMs { get; init; }

    /// <summary>Seek across the whole stroke, outermost to innermost cylinder.</summary>
    public double FullStrokeMs { get; init; }

    /// <summary>Extra settle time for writes over reads, in milliseconds (datasheet write seek minus read seek).</summary>
    public double WriteSettleMs { get; init; }

    /// <summary>Sequential rate of the outermost zone including head and cylinder switches.</summary>
    public double SustainedOuterMBps { get; init; }

    /// <summary>Sequential rate of the innermost zone including head and cylinder switches.</summary>
    public double SustainedInnerMBps { get; init; }

    /// <summary>Time to switch to another head (surface) of the same cylinder; track skew covers it.</summary>
    public double HeadSwitchMs { get; init; }

    /// <summary>Recording surfaces, one head each: the tracks per cylinder.</summary>
    public int Heads { get; init; }

    /// <summary>Recording zones of equal width from the outer (LBA 0) to the inner diameter.</summary>
    public int Zones { get; init; }
}

/// <summary>Parameters of a flash drive (kind "ssd").</summary>
public sealed record SsdParameters
{
    public int Channels { get; init; }
    public int DiesPerChannel { get; init; }
    public int PageBytes { get; init; }

    /// <summary>Array read of one page into the die's page register (tR).</summary>
    public double ReadUs { get; init; }

    /// <summary>Program time of one full page (tPROG); partial pages are charged pro rata (the controller packs them).</summary>
    public double ProgramUs { get; init; }

    /// <summary>Bandwidth of one flash channel (the bus shared by that channel's dies), decimal MB/s.</summary>
    public double ChannelMBps { get; init; }

    /// <summary>Controller (FTL) time per read command; commands pass the controller one at a time.</summary>
    public double ControllerReadUs { get; init; }

    /// <summary>Controller (FTL) time per write command; commands pass the controller one at a time.</summary>
    public double ControllerWriteUs { get; init; }

    /// <summary>
    /// True: every page starts mapped, as on a drive written once end to end (how datasheet figures are measured).
    /// False: a factory-fresh drive whose never-written pages read without a flash access.
    /// </summary>
    public bool Preconditioned { get; init; } = true;
}

/// <summary>Parameters of a RAM disk (kind "ram"), like Linux null_blk: a fixed completion latency.</summary>
public sealed record RamParameters
{
    /// <summary>Completion latency of every access (0 = complete at once).</summary>
    public double LatencyUs { get; init; }

    /// <summary>Bandwidth shared by all accesses, decimal MB/s; 0 means unlimited.</summary>
    public double BandwidthMBps { get; init; }
}
