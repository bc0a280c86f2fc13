namespace Hardware.Cli.Workloads;

/// <summary>What jobs run on when no filesystem is named (raw block devices), or which filesystem is mounted.</summary>
public enum FileSystemKind
{
    None,
    Ext2,
    RamFs,
}

/// <summary>
/// The machine a workload runs on: a device model (preset name or JSON file) behind AHCI, an elevator spec, an
/// optional filesystem mounted for the jobs' files, the backing store (a sparse in-memory disk unless an image file
/// is named) and the seed every random stream derives from.
/// </summary>
public sealed record MachineSpec
{
    public string Device { get; init; } = "hdd-7200";
    public string Scheduler { get; init; } = "mq-deadline";
    public FileSystemKind FileSystem { get; init; } = FileSystemKind.None;
    /// <summary>A raw image file used as the drive's medium (null: a sparse in-memory store).</summary>
    public string? ImagePath { get; init; }
    /// <summary>The disk's size when no image is named (the device model may require a minimum).</summary>
    public long CapacityBytes { get; init; } = 16L << 30;
    public ulong Seed { get; init; } = 1;
}
