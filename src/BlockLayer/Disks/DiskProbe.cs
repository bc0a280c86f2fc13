using Hardware.BlockLayer.Drivers.Ahci;
using Hardware.BlockLayer.Partitions;
using Hardware.BlockLayer.Schedulers;
using Hardware.BlockLayer.Tracing;
using Hardware.Emulator.Machine;

namespace Hardware.BlockLayer.Disks;

public sealed record DiskProbeOptions
{
    /// <summary>Elevator for every disk, by name or spec ("mq-deadline", "bfq", "kyber:read_lat_nsec=1ms", ...).</summary>
    public string Scheduler { get; init; } = "mq-deadline";

    public QueueOptions? Queue { get; init; }

    public AhciDriverOptions? Driver { get; init; }

    /// <summary>A tracer per disk (blktrace traces a whole disk, partitions included), or none.</summary>
    public Func<BlockDevice, IBlockTracer?>? Tracer { get; init; }
}

/// <summary>
/// What the kernel does between PCI enumeration and a usable /dev: the AHCI driver probes its controller, each
/// disk gets a request queue with the chosen elevator and a name (sda, sdb, ... with SCSI disk major 8 and
/// 16 minors a disk), and its partition table is read and its partitions added.
/// </summary>
public sealed class DiskProbe
{
    /// <summary>Linux's SCSI disk major (sd).</summary>
    public const uint ScsiDiskMajor = 8;

    /// <summary>Minors a disk owns: the disk itself and 15 partitions.</summary>
    public const uint MinorsPerDisk = 16;

    private readonly List<BlockDevice> _disks = [];
    private readonly List<string> _warnings = [];

    private DiskProbe(AhciHostDriver? host)
    {
        Host = host;
    }

    public AhciHostDriver? Host { get; }

    public IReadOnlyList<BlockDevice> Disks => _disks;

    /// <summary>Every disk and its partitions, in name order.</summary>
    public IEnumerable<BlockDevice> Devices => _disks.SelectMany(disk => disk.Partitions.Prepend(disk));

    /// <summary>What partition scanning repaired, clipped or could not read.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public BlockDevice? Find(string name) => Devices.FirstOrDefault(device => device.Name == name);

    /// <summary>Runs inside a simulated process. An unknown scheduler fails before any hardware is touched.</summary>
    public static async Task<DiskProbe> ProbeAsync(PlatformServices platform, DiskProbeOptions? options = null)
    {
        options ??= new DiskProbeOptions();
        if (!ElevatorRegistry.TryCreate(options.Scheduler, out IElevator? _, out string error))
            throw new ArgumentException(error, nameof(options));

        AhciHostDriver? host = await AhciHostDriver.ProbeAsync(platform, options.Driver);
        var probe = new DiskProbe(host);
        if (host is null)
            return probe;
        foreach (AhciPortDriver port in host.Disks)
        {
            ElevatorRegistry.TryCreate(options.Scheduler, out IElevator? elevator, out _);
            var queue = new RequestQueue(platform.Simulation, port, elevator!, options.Queue);
            uint index = (uint)probe._disks.Count;
            BlockDevice disk = BlockDevice.CreateDisk(DiskName(index), ScsiDiskMajor, index * MinorsPerDisk, queue);
            queue.Tracer = options.Tracer?.Invoke(disk);
            probe._disks.Add(disk);
            await probe.AddPartitionsAsync(disk, platform);
        }
        return probe;
    }

    private async Task AddPartitionsAsync(BlockDevice disk, PlatformServices platform)
    {
        PartitionScanResult scan = await PartitionTableReader.ScanAsync(new BlockDeviceSectorReader(disk, platform), disk.Name);
        _warnings.AddRange(scan.Warnings);
        if (scan.Error is { } scanError)
        {
            _warnings.Add(scanError.ToString());
            return;
        }
        long sectorsPerBlock = disk.LogicalBlockSize / Bio.SectorSize;
        foreach (PartitionInfo partition in scan.Partitions)
        {
            if (partition.Number >= MinorsPerDisk)
            {
                _warnings.Add($"{disk.Name}: partition {partition.Number} has no minor number left (at most {MinorsPerDisk - 1} a disk); not added");
                continue;
            }
            if (disk.TryAddPartition(partition.Number, partition.StartSector * sectorsPerBlock, partition.SectorCount * sectorsPerBlock, out _) is { } addError)
                _warnings.Add(addError.ToString());
        }
    }

    /// <summary>sda ... sdz, sdaa ... like the sd driver names disks.</summary>
    public static string DiskName(uint index)
    {
        string suffix = "";
        long n = index;
        do
        {
            suffix = (char)('a' + n % 26) + suffix;
            n = n / 26 - 1;
        }
        while (n >= 0);
        return "sd" + suffix;
    }
}
