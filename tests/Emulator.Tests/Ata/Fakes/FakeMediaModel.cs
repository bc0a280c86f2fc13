using Hardware.Emulator.Media;

namespace Hardware.Emulator.Tests.Ata.Fakes;

/// <summary>One access the drive made, as the media model saw it.</summary>
public readonly record struct MediaAccess(long Start, MediaOperation Operation, long Lba, int Count, long End);

/// <summary>
/// A media model for drive tests: every sector takes <see cref="NsPerSector"/>; reaching a sector other than the one
/// after the last access costs <see cref="PositioningNs"/> plus <see cref="SeekNsPerSector"/> per sector of distance
/// (a positional model that makes NCQ reordering pay), and the accesses are recorded.
/// </summary>
public sealed class FakeMediaModel : IMediaModel
{
    public FakeMediaModel(DeviceProfile profile)
    {
        Profile = profile;
        LogicalSectorSize = profile.LogicalSectorSize;
        PhysicalSectorSize = profile.PhysicalSectorSize;
        CapacitySectors = profile.CapacityBytes / profile.LogicalSectorSize;
    }

    public DeviceProfile Profile { get; }

    public long CapacitySectors { get; }

    public int LogicalSectorSize { get; }

    public int PhysicalSectorSize { get; }

    public ushort NominalRotationRate { get; set; } = 7200;

    public int MaxConcurrentAccesses { get; set; } = 1;

    public long PositioningNs { get; set; } = 5_000_000;

    public double SeekNsPerSector { get; set; }

    public long NsPerSector { get; set; } = 2_500;

    /// <summary>Where the next sequential access would start without positioning.</summary>
    public long HeadLba { get; private set; }

    public List<MediaAccess> Accesses { get; } = new();

    /// <summary>Off for allocation measurements.</summary>
    public bool Record { get; set; } = true;

    public List<(long Lba, long Count)> Trims { get; } = new();

    public long Access(long start, MediaOperation operation, long lba, int sectorCount)
    {
        long end = start + Positioning(lba) + sectorCount * NsPerSector;
        HeadLba = lba + sectorCount;
        if (Record)
            Accesses.Add(new MediaAccess(start, operation, lba, sectorCount, end));
        return end;
    }

    public long EstimatePositioning(long start, MediaOperation operation, long lba) => Positioning(lba);

    public void Trim(long lba, long sectorCount) => Trims.Add((lba, sectorCount));

    private long Positioning(long lba) =>
        lba == HeadLba ? 0 : PositioningNs + (long)(Math.Abs(lba - HeadLba) * SeekNsPerSector);
}
