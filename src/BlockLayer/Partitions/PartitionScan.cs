namespace Hardware.BlockLayer.Partitions;

/// <summary>
/// The state of one scan: bounded reads from the disk, the partitions found, warnings, and the rule Linux's
/// block/partitions/core.c applies to every scheme: a partition starting past the disk end is dropped, one
/// running past it is clipped to the end (camera firmware writes such tables), each with a warning.
/// </summary>
internal sealed class PartitionScan
{
    /// <summary>Linux's DISK_MAX_PARTS is 256 including the whole disk, so partition numbers stop at 255.</summary>
    public const int MaxPartitionNumber = 255;

    /// <summary>The largest single read a scan issues: Linux's bound on a GPT entry array (KMALLOC_MAX_SIZE, 4 MiB).</summary>
    public const int MaxReadBytes = 4 << 20;

    private readonly ISectorReader _disk;
    private readonly List<PartitionInfo> _partitions = [];
    private readonly List<string> _warnings = [];
    private IoError? _error;

    public PartitionScan(ISectorReader disk, string deviceName)
    {
        _disk = disk;
        DeviceName = deviceName;
        SectorSize = disk.SectorSize;
        CapacitySectors = disk.CapacitySectors;
    }

    public string DeviceName { get; }
    public int SectorSize { get; }
    public long CapacitySectors { get; }
    public long LastLba => CapacitySectors - 1;

    public static PartitionScanResult Failed(IoError? error) => new([], error, []);

    /// <summary>Reads <paramref name="count"/> sectors at <paramref name="sector"/>, refusing anything outside the disk.</summary>
    public async ValueTask<SectorRead> ReadAsync(long sector, long count)
    {
        if (sector < 0 || count <= 0 || sector > CapacitySectors - count)
            return new SectorRead(null, new IoError(Errno.EUCLEAN,
                $"sectors {sector}..{sector + count - 1} lie outside the disk (sectors 0..{LastLba})"));
        if (count > MaxReadBytes / SectorSize)
            return new SectorRead(null, new IoError(Errno.EUCLEAN,
                $"{count} sectors of {SectorSize} bytes exceed the {MaxReadBytes >> 20} MiB a partition table may occupy"));

        var data = new byte[checked((int)count * SectorSize)];
        Errno status = await _disk.ReadAsync(sector, data);
        return status == Errno.None
            ? new SectorRead(data, null)
            : new SectorRead(null, new IoError(status, $"reading sectors {sector}..{sector + count - 1} failed with {status}"));
    }

    public void Warn(string message) => _warnings.Add($"{DeviceName}: {message}");

    public void Add(PartitionInfo partition)
    {
        if (partition.StartSector >= CapacitySectors)
        {
            Warn($"partition {partition.Number} starts at sector {partition.StartSector}, past the disk end " +
                 $"({CapacitySectors} sectors): dropped");
            return;
        }
        long room = CapacitySectors - partition.StartSector;
        if (partition.SectorCount > room)
        {
            Warn($"partition {partition.Number} at sector {partition.StartSector} claims {partition.SectorCount} " +
                 $"sectors, past the disk end ({CapacitySectors} sectors): clipped to {room}");
            partition = partition with { SectorCount = room };
        }
        _partitions.Add(partition);
    }

    /// <summary>Marks the table unusable: the result carries this error and no partitions.</summary>
    public void Fail(Errno errno, string message) => _error ??= new IoError(errno, $"{DeviceName}: {message}");

    public PartitionScanResult ToResult()
    {
        if (_error is not null)
            return new PartitionScanResult([], _error, [.. _warnings]);
        _partitions.Sort((a, b) => a.Number.CompareTo(b.Number));
        return new PartitionScanResult([.. _partitions], null, [.. _warnings]);
    }
}
