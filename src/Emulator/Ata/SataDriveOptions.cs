namespace Hardware.Emulator.Ata;

/// <summary>Firmware tunables of <see cref="SataDrive"/> that the device profile does not carry. Units are in the names.</summary>
public sealed record SataDriveOptions
{
    public static SataDriveOptions Default { get; } = new();

    /// <summary>Time a FIS takes from the drive's firmware to the host port: serialisation plus PHY and link layer (1 µs).</summary>
    public long FisLatencyNs { get; init; } = 1_000;

    /// <summary>COMRESET (or power-on) to the signature FIS (1 ms; a spun-down disk would take seconds).</summary>
    public long ResetTimeNs { get; init; } = 1_000_000;

    /// <summary>A queued command that has waited this long goes to the medium before any better-placed one (500 ms).</summary>
    public long NcqMaxWaitNs { get; init; } = 500_000_000;

    /// <summary>Share of write-cache lines in use above which destaging goes before host commands (0.75).</summary>
    public double WriteCacheHighWater { get; init; } = 0.75;

    /// <summary>Longest single media write a destage makes (1 MiB).</summary>
    public int MaxDestageBytes { get; init; } = 1 << 20;

    /// <summary>Most 512-byte blocks of LBA range entries one DATA SET MANAGEMENT command takes (IDENTIFY word 105).</summary>
    public ushort MaxDsmBlocks { get; init; } = 8;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(FisLatencyNs);
        ArgumentOutOfRangeException.ThrowIfNegative(ResetTimeNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NcqMaxWaitNs);
        if (WriteCacheHighWater is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(WriteCacheHighWater), WriteCacheHighWater, "a share in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDestageBytes, 4096);
        ArgumentOutOfRangeException.ThrowIfZero(MaxDsmBlocks);
    }
}
