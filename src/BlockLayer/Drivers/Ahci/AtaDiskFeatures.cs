using Hardware.Emulator.Ahci.Spec;
using Hardware.Emulator.Ata.Spec;

namespace Hardware.BlockLayer.Drivers.Ahci;

/// <summary>
/// What the driver takes from IDENTIFY DEVICE and the controller's capabilities: how it will talk to the disk
/// (NCQ or not, FUA, TRIM) and the queue limits it reports to the block layer.
/// </summary>
public sealed class AtaDiskFeatures
{
    /// <summary>Word 84 bit 6: WRITE DMA FUA EXT is supported (the word is valid when bits 15:14 are 01b).</summary>
    private const ushort FuaSupported = 1 << 6;
    private const ushort WordValidMask = 0xC000;
    private const ushort WordValid = 0x4000;

    /// <summary>max_sectors_kb = 1280 (Linux's BLK_DEF_MAX_SECTORS), in 512-byte sectors.</summary>
    private const int DefaultMaxSectors = 2560;

    /// <summary>Word 85 bit 5: the volatile write cache is enabled.</summary>
    private const ushort WriteCacheEnabledBit = 1 << 5;

    /// <summary>Word 217 value of a non-rotating medium (solid state).</summary>
    private const ushort NonRotating = 1;

    /// <summary>TRIM range blocks the driver's one-page payload buffer holds.</summary>
    internal const int MaxTrimBlocks = Emulator.Platform.PageFrame.Size / TrimPayload.BlockBytes;

    private QueueLimits? _limits;
    private BlockDriverInfo? _info;

    public required IdentifyDeviceData Identify { get; init; }

    /// <summary>READ/WRITE FPDMA QUEUED are used: the device reports NCQ and the HBA has CAP.SNCQ.</summary>
    public required bool UsesNcq { get; init; }

    public required int QueueDepth { get; init; }

    /// <summary>The HBA's command slots: the tags libata's host offers (can_queue), whatever the disk's own depth.</summary>
    public int CommandSlots { get; init; } = 1;

    public required bool Fua { get; init; }

    public required bool WriteCacheEnabled { get; init; }

    public required bool Rotational { get; init; }

    /// <summary>512-byte blocks of TRIM ranges one DATA SET MANAGEMENT command carries (0 without TRIM).</summary>
    public required int TrimBlocks { get; init; }

    /// <summary>512-byte sectors per logical block.</summary>
    public int SectorsPerBlock => Identify.LogicalSectorSize / Bio.SectorSize;

    public long CapacitySectors => Identify.CapacitySectors * SectorsPerBlock;

    /// <summary>Built once: the queue reads these on its hot paths.</summary>
    public QueueLimits Limits => _limits ??= new QueueLimits
    {
        LogicalBlockSize = Identify.LogicalSectorSize,
        PhysicalBlockSize = Identify.PhysicalSectorSize,
        MaxHardwareSectors = AtaCommands.MaxSectorsLba48,
        MaxSectors = Math.Min(DefaultMaxSectors, AtaCommands.MaxSectorsLba48),
        MaxSegments = AhciPortDriver.MaxPrdEntries,
        MaxSegmentSize = PrdEntry.MaxByteCount,
        QueueDepth = QueueDepth,
        TagSetDepth = Math.Max(CommandSlots, QueueDepth),
        Rotational = Rotational,
        WriteCache = WriteCacheEnabled,
        Fua = Fua,
        MaxDiscardSectors = TrimPayload.MaxSectors(TrimBlocks) * SectorsPerBlock,
        ReadOnly = false,
    };

    public BlockDriverInfo Info => _info ??= new BlockDriverInfo(Identify.Model, Identify.Serial, CapacitySectors, Limits);

    /// <summary>Decodes the 512 bytes of IDENTIFY DEVICE against what the HBA offers.</summary>
    public static AtaDiskFeatures FromIdentify(ReadOnlySpan<byte> data, bool hostSupportsNcq, int commandSlots)
    {
        IdentifyDeviceData identify = IdentifyDeviceData.Read(data);
        ushort word84 = IdentifyDeviceData.Word(data, IdentifyWord.CommandSetSupportedExtension);
        bool ncq = hostSupportsNcq && identify.QueueDepth > 0;
        return new AtaDiskFeatures
        {
            Identify = identify,
            UsesNcq = ncq,
            QueueDepth = ncq ? Math.Min(identify.QueueDepth, commandSlots) : 1,
            CommandSlots = commandSlots,
            Fua = (word84 & WordValidMask) == WordValid && (word84 & FuaSupported) != 0,
            WriteCacheEnabled = (IdentifyDeviceData.Word(data, IdentifyWord.CommandSetEnabled1) & WriteCacheEnabledBit) != 0,
            Rotational = identify.NominalRotationRate != NonRotating,
            TrimBlocks = identify.TrimSupported ? Math.Min((int)identify.MaxDsmBlocks, MaxTrimBlocks) : 0,
        };
    }
}
