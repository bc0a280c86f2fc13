using Hardware.BlockLayer.Stats;

namespace Hardware.BlockLayer;

/// <summary>
/// A block device as its users see it: a whole disk (Linux's gendisk) or one of its partitions (a block_device with
/// a start offset), sharing the disk's request queue. <see cref="Submit"/> is the public edge: a bio is checked
/// against the device (bounds, alignment, length, read-only, discard support) and refused with an errno and a
/// message naming the device and the values, or queued to complete later.
/// </summary>
public sealed class BlockDevice
{
    private readonly List<BlockDevice> _partitions = [];
    private readonly BlockDevice? _disk;
    private bool _readOnly;

    private BlockDevice(string name, uint major, uint minor, RequestQueue queue, long capacitySectors, long startSector,
        BlockDevice? disk, int partitionNumber)
    {
        Name = name;
        Major = major;
        Minor = minor;
        Queue = queue;
        CapacitySectors = capacitySectors;
        StartSector = startSector;
        _disk = disk;
        PartitionNumber = partitionNumber;
        _readOnly = disk is null && queue.Limits.ReadOnly;
        Stats = new DiskStats(queue.Simulation);
    }

    /// <summary>Makes the whole-disk device served by <paramref name="queue"/> (one disk per queue).</summary>
    public static BlockDevice CreateDisk(string name, uint major, uint minor, RequestQueue queue, long capacitySectors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacitySectors);
        if (capacitySectors > queue.Driver.Info.CapacitySectors)
            throw new ArgumentException($"{name}: capacity {capacitySectors} sectors is more than the driver's {queue.Driver.Info.CapacitySectors}", nameof(capacitySectors));
        if (capacitySectors % (queue.Limits.LogicalBlockSize / Bio.SectorSize) != 0)
            throw new ArgumentException($"{name}: capacity {capacitySectors} sectors is not a whole number of {queue.Limits.LogicalBlockSize}-byte blocks", nameof(capacitySectors));
        var disk = new BlockDevice(name, major, minor, queue, capacitySectors, 0, null, 0);
        queue.AttachDisk(disk);
        return disk;
    }

    /// <summary>Makes the whole-disk device with the capacity its driver reported.</summary>
    public static BlockDevice CreateDisk(string name, uint major, uint minor, RequestQueue queue) =>
        CreateDisk(name, major, minor, queue, queue?.Driver.Info.CapacitySectors ?? throw new ArgumentNullException(nameof(queue)));

    public string Name { get; }

    public uint Major { get; }

    public uint Minor { get; }

    /// <summary>The kernel's dev_t encoding blktrace records (major &lt;&lt; 20 | minor).</summary>
    public uint DeviceNumber => Major << 20 | Minor;

    public long CapacitySectors { get; }

    public long CapacityBytes => CapacitySectors * Bio.SectorSize;

    /// <summary>Where the device starts on its disk: 0 for a disk.</summary>
    public long StartSector { get; }

    /// <summary>0 for a disk; 1, 2, ... for its partitions.</summary>
    public int PartitionNumber { get; }

    public bool IsPartition => _disk is not null;

    public QueueLimits Limits => Queue.Limits;

    public int LogicalBlockSize => Limits.LogicalBlockSize;

    public int PhysicalBlockSize => Limits.PhysicalBlockSize;

    public bool Rotational => Limits.Rotational;

    /// <summary>
    /// Refuses writes and discards (BLKROSET). Reads as Linux's bdev_read_only: a partition is read-only when it or
    /// its disk is; setting it on a partition leaves the disk alone.
    /// </summary>
    public bool ReadOnly
    {
        get => _readOnly || (_disk?._readOnly ?? false);
        set => _readOnly = value;
    }

    /// <summary>The whole disk: itself for a disk.</summary>
    public BlockDevice Disk => _disk ?? this;

    public RequestQueue Queue { get; }

    public IReadOnlyList<BlockDevice> Partitions => _partitions;

    /// <summary>This device's /proc/diskstats counters; a disk's include its partitions'.</summary>
    public DiskStats Stats { get; }

    /// <summary>This device's line of /proc/diskstats.</summary>
    public string DiskstatsLine => Stats.ToDiskstatsLine(Major, Minor, Name);

    /// <summary>
    /// Adds partition <paramref name="number"/> (named like Linux: sda1, nvme0n1p1; minor = disk minor + number).
    /// Throws on bad input; <see cref="TryAddPartition"/> reports it as an error value instead.
    /// </summary>
    public BlockDevice AddPartition(int number, long startSector, long sectorCount)
    {
        IoError? error = TryAddPartition(number, startSector, sectorCount, out BlockDevice? partition);
        return error is null ? partition! : throw new ArgumentException(error.ToString());
    }

    /// <summary>
    /// Adds a partition found in a partition table: it must lie inside the disk, start and end on logical-block
    /// boundaries and overlap no other partition (EINVAL / EBUSY with a message naming the values otherwise).
    /// </summary>
    public IoError? TryAddPartition(int number, long startSector, long sectorCount, out BlockDevice? partition)
    {
        partition = null;
        if (IsPartition)
            return new IoError(Errno.EINVAL, $"{Name}: partitions are added to the disk {Disk.Name}, not to a partition");
        if (number < 1)
            return new IoError(Errno.EINVAL, $"{Name}: partition number {number} is not positive");
        long blockSectors = LogicalBlockSize / Bio.SectorSize;
        if (startSector < 0 || sectorCount <= 0 || startSector > CapacitySectors - sectorCount)
            return new IoError(Errno.EINVAL,
                $"{Name}: partition {number} at sector {startSector} with {sectorCount} sectors does not fit in the disk's {CapacitySectors} sectors");
        if (startSector % blockSectors != 0 || sectorCount % blockSectors != 0)
            return new IoError(Errno.EINVAL,
                $"{Name}: partition {number} at sector {startSector} with {sectorCount} sectors is not aligned to the {LogicalBlockSize}-byte logical block");
        foreach (BlockDevice existing in _partitions)
        {
            if (existing.PartitionNumber == number)
                return new IoError(Errno.EBUSY, $"{Name}: partition {number} exists already ({existing.Name})");
            if (startSector < existing.StartSector + existing.CapacitySectors && existing.StartSector < startSector + sectorCount)
                return new IoError(Errno.EBUSY,
                    $"{Name}: partition {number} (sectors {startSector}-{startSector + sectorCount - 1}) overlaps {existing.Name} " +
                    $"(sectors {existing.StartSector}-{existing.StartSector + existing.CapacitySectors - 1})");
        }
        string name = char.IsAsciiDigit(Name[^1]) ? $"{Name}p{number}" : $"{Name}{number}";
        partition = new BlockDevice(name, Major, Minor + (uint)number, Queue, sectorCount, startSector, this, number);
        int at = 0;
        while (at < _partitions.Count && _partitions[at].PartitionNumber < number)
            at++;
        _partitions.Insert(at, partition);
        return null;
    }

    /// <summary>
    /// Checks <paramref name="bio"/> against this device and queues it; null when queued (the bio completes later
    /// through its completion), otherwise the error, and the bio is left untouched.
    /// </summary>
    public IoError? Submit(Bio bio)
    {
        ArgumentNullException.ThrowIfNull(bio);
        if (BioValidation.Check(this, bio) is { } error)
            return error;
        Queue.SubmitValidated(this, bio);
        return null;
    }

    /// <summary>
    /// Submits <paramref name="bio"/>, sends the process's plug on its way (the process is about to sleep, as
    /// blk_flush_plug on schedule) and waits for the bio. A bio the device refuses completes at once with its errno.
    /// </summary>
    public ValueTask<Errno> SubmitAndWaitAsync(Bio bio)
    {
        SubmitAndUnplug(bio);
        return bio.Completion.Task;
    }

    /// <summary>
    /// <see cref="SubmitAndWaitAsync"/> without the wait, for a submitter that waits on <see cref="Bio.Completion"/>
    /// itself (O_DIRECT's one waiter): submits, sends the plug on its way, and completes a refused bio at once.
    /// </summary>
    public void SubmitAndUnplug(Bio bio)
    {
        if (Submit(bio) is { } error)
            bio.Complete(error.Errno);
        else
            Queue.FlushPlug(bio.ProcessId);
    }

    public override string ToString() => IsPartition
        ? $"{Name} ({Major}:{Minor}, sectors {StartSector}+{CapacitySectors} of {Disk.Name})"
        : $"{Name} ({Major}:{Minor}, {CapacitySectors} sectors)";
}
