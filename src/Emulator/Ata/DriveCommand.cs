using Hardware.Emulator.Sata;
using Hardware.Emulator.Simulation;

namespace Hardware.Emulator.Ata;

/// <summary>The steps of a command's life, each an event on the command's own handler.</summary>
internal enum CommandStage : byte
{
    /// <summary>Queued commands: the D2H FIS that clears BSY so the host can issue the next one.</summary>
    Acknowledge,
    /// <summary>The firmware has decoded the command (command overhead elapsed).</summary>
    Ready,
    /// <summary>Read data is arriving from the medium or the cache: claim the link for the data phase.</summary>
    DataReady,
    /// <summary>The data phase begins: DMA Setup (queued) or PIO Setup FIS.</summary>
    LinkStart,
    /// <summary>The data phase ends: the bytes move between the drive and the host buffer.</summary>
    LinkEnd,
    /// <summary>The completion FIS goes out.</summary>
    Complete,
}

/// <summary>How a command's data flows once it is decoded.</summary>
internal enum CommandPath : byte
{
    None,
    /// <summary>Read from the medium, then to the host.</summary>
    MediaRead,
    /// <summary>Read served from the drive's buffer (read segment, read-ahead or dirty write data).</summary>
    CacheRead,
    /// <summary>Write completed once its data is in the volatile write cache.</summary>
    CachedWrite,
    /// <summary>Write that reaches the medium before it completes (write cache off, FUA, or bigger than the cache).</summary>
    ThroughWrite,
    /// <summary>Media access without data transfer (READ VERIFY).</summary>
    Verify,
    /// <summary>PIO data-in from a drive buffer (IDENTIFY, READ LOG EXT).</summary>
    PioIn,
    /// <summary>DMA data-out into the command's buffer (DATA SET MANAGEMENT).</summary>
    DataOut,
    /// <summary>Waits for the write cache or the medium to drain (FLUSH, disabling the write cache, TRIM).</summary>
    Barrier,
}

/// <summary>
/// One command slot of the drive: 32 NCQ tags and one for non-queued commands. Pooled: a slot is reused for every
/// command with its tag, and a generation number makes events of an earlier use (or of an aborted one) harmless.
/// </summary>
internal sealed class DriveCommand : ISimEventHandler
{
    public const int NonQueuedSlot = 32;

    private readonly SataDrive _drive;

    public DriveCommand(SataDrive drive, int slot)
    {
        _drive = drive;
        Slot = slot;
    }

    /// <summary>0-31: the NCQ tag; 32: the non-queued command.</summary>
    public int Slot { get; }

    public bool Queued => Slot != NonQueuedSlot;

    public bool InUse { get; private set; }

    public long Generation { get; private set; }

    public long Number;
    public DriveCommandKind Kind;
    public byte Opcode;
    public long Lba;
    public int SectorCount;
    public bool ForceUnitAccess;
    public ushort Features;
    public ushort CountField;
    public long ReceivedAt;

    public CommandPath Path;
    /// <summary>When the command joined the media queue (for NCQ aging).</summary>
    public long QueuedAt;
    public bool InMediaQueue;
    /// <summary>When the last byte the host needs is in the drive's buffer (media end or read-ahead progress).</summary>
    public long SourceReadyAt;
    public bool MediaDone;
    public bool DataArrived;
    public bool Hung;
    public int ReservedCacheLines;
    public int MediaSlot = -1;
    /// <summary>Set when the command ends in error; the completion FIS reports these.</summary>
    public bool Failed;
    public AtaStatus FailStatus;
    public AtaError FailError;
    public long FailLba;
    /// <summary>Bytes of the data phase.</summary>
    public long TransferBytes;
    /// <summary>Write-through data and DSM range entries; grows to the largest transfer seen and is kept.</summary>
    public byte[] Buffer = [];

    public void Begin(long number, long now)
    {
        InUse = true;
        Generation++;
        Number = number;
        ReceivedAt = now;
        Kind = DriveCommandKind.Unsupported;
        Opcode = 0;
        Lba = 0;
        SectorCount = 0;
        ForceUnitAccess = false;
        Features = 0;
        CountField = 0;
        Path = CommandPath.None;
        QueuedAt = 0;
        InMediaQueue = false;
        SourceReadyAt = 0;
        MediaDone = false;
        DataArrived = false;
        Hung = false;
        ReservedCacheLines = 0;
        MediaSlot = -1;
        Failed = false;
        FailStatus = AtaStatus.None;
        FailError = AtaError.None;
        FailLba = 0;
        TransferBytes = 0;
    }

    /// <summary>The command is over (completed, failed or aborted); its pending events become stale.</summary>
    public void End()
    {
        InUse = false;
        Generation++;
    }

    public void Schedule(Simulation.Simulation simulation, long time, CommandStage stage) =>
        simulation.ScheduleAt(time, this, (Generation << 8) | (long)stage);

    public void EnsureBuffer(long bytes)
    {
        if (Buffer.Length >= bytes)
            return;
        long size = Math.Max(4096, Buffer.Length);
        while (size < bytes)
            size *= 2;
        Buffer = new byte[size];
    }

    void ISimEventHandler.OnEvent(long argument)
    {
        if (!InUse || (argument >> 8) != Generation)
            return;
        _drive.OnCommandStage(this, (CommandStage)(argument & 0xFF));
    }

    public override string ToString() => Queued
        ? $"tag {Slot} {Kind} lba {Lba}+{SectorCount}"
        : $"{Kind} (opcode {Opcode:X2}h) lba {Lba}+{SectorCount}";
}
