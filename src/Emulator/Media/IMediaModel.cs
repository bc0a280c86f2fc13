namespace Hardware.Emulator.Media;

public enum MediaOperation
{
    Read,
    Write,
}

/// <summary>
/// The timing of a storage medium: platters and heads, flash dies, or plain RAM. A model knows only where
/// its mechanism is and how long an access takes in virtual time; the drive's firmware (command queue, NCQ
/// ordering, cache, read-ahead) and the data itself live elsewhere.
/// </summary>
public interface IMediaModel
{
    /// <summary>Addressable logical sectors.</summary>
    long CapacitySectors { get; }

    int LogicalSectorSize { get; }

    int PhysicalSectorSize { get; }

    /// <summary>IDENTIFY word 217: 1 for non-rotating media, otherwise revolutions per minute.</summary>
    ushort NominalRotationRate { get; }

    /// <summary>How many accesses may be in progress at once (1 for a single actuator; channels x dies for flash).</summary>
    int MaxConcurrentAccesses { get; }

    /// <summary>
    /// Performs an access that the firmware starts at virtual time <paramref name="start"/> and returns the time its
    /// last sector has passed the head (or left the die). Advances the model's state: head position, die busy times.
    /// </summary>
    long Access(long start, MediaOperation operation, long lba, int sectorCount);

    /// <summary>
    /// The delay from <paramref name="start"/> until the first sector of <paramref name="lba"/> could be transferred
    /// (seek + settle + rotation for a disk), without changing state: what NCQ reordering minimises.
    /// </summary>
    long EstimatePositioning(long start, MediaOperation operation, long lba);

    /// <summary>Flash translation: the range no longer holds data (TRIM). Disks and RAM ignore it.</summary>
    void Trim(long lba, long sectorCount);

    /// <summary>The figures this model was built from, for catalogs and reports.</summary>
    DeviceProfile Profile { get; }
}
