namespace Hardware.Emulator.Ata;

/// <summary>What the host asked a drive to do, counted by the drive as it accepts each command.</summary>
public enum DriveCommandKind
{
    Read,
    Write,
    Verify,
    Flush,
    Trim,
    SetFeatures,
    Identify,
    ReadLog,
    /// <summary>Opcodes the drive does not implement (answered with ABRT).</summary>
    Unsupported,
}

/// <summary>Counters a drive keeps about its own work: what it was asked, what its medium and cache did, what failed.</summary>
public sealed class DriveStatistics
{
    private readonly long[] _commands = new long[Enum.GetValues<DriveCommandKind>().Length];

    public long Commands(DriveCommandKind kind) => _commands[(int)kind];

    public long TotalCommands { get; private set; }

    /// <summary>Commands that arrived as READ/WRITE FPDMA QUEUED.</summary>
    public long QueuedCommands { get; internal set; }

    /// <summary>Sectors moved to the host by successful reads.</summary>
    public long SectorsRead { get; internal set; }

    /// <summary>Sectors taken from the host by successful writes.</summary>
    public long SectorsWritten { get; internal set; }

    /// <summary>Media read accesses for host commands (demand reads and verifies).</summary>
    public long MediaReads { get; internal set; }

    /// <summary>Media write accesses for host commands (write-through and FUA writes).</summary>
    public long MediaWrites { get; internal set; }

    public long MediaSectorsRead { get; internal set; }

    public long MediaSectorsWritten { get; internal set; }

    /// <summary>Reads served entirely from the drive's buffer without a media access.</summary>
    public long CacheHits { get; internal set; }

    /// <summary>Reads that needed the medium.</summary>
    public long CacheMisses { get; internal set; }

    /// <summary>Cache hits on sectors that read-ahead fetched (a subset of <see cref="CacheHits"/>).</summary>
    public long ReadAheadHits { get; internal set; }

    /// <summary>Sectors read ahead from the medium.</summary>
    public long ReadAheadSectors { get; internal set; }

    /// <summary>Writes completed once their data was in the volatile write cache.</summary>
    public long CachedWrites { get; internal set; }

    /// <summary>Media writes that moved dirty cache data to the medium.</summary>
    public long DestagedWrites { get; internal set; }

    public long DestagedSectors { get; internal set; }

    /// <summary>Queued commands sent to the medium ahead of an older waiting one.</summary>
    public long NcqReorders { get; internal set; }

    /// <summary>Commands completed with ERR.</summary>
    public long Errors { get; internal set; }

    public long UncorrectableErrors { get; internal set; }

    public long IdnfErrors { get; internal set; }

    /// <summary>Commands aborted with ABRT (unsupported, invalid, write fault, protocol errors).</summary>
    public long AbortedCommands { get; internal set; }

    public long WriteFaults { get; internal set; }

    /// <summary>Data phases the host cut short (bus error, PRDT overflow, port stopped).</summary>
    public long DmaErrors { get; internal set; }

    /// <summary>Commands the fault plan made hang.</summary>
    public long HungCommands { get; internal set; }

    public long ComResets { get; internal set; }

    public long PowerLosses { get; internal set; }

    /// <summary>Dirty cached sectors lost to power loss.</summary>
    public long LostDirtySectors { get; internal set; }

    internal void CountCommand(DriveCommandKind kind)
    {
        _commands[(int)kind]++;
        TotalCommands++;
    }
}
