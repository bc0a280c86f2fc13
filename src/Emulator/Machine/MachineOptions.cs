using Hardware.Emulator.Ahci;
using Hardware.Emulator.Faults;
using Hardware.Emulator.Media;
using Hardware.Emulator.Platform;
using Hardware.Emulator.Storage;

namespace Hardware.Emulator.Machine;

/// <summary>One drive on one AHCI port: its model, where its bytes live (sparse memory when null) and its faults.</summary>
public sealed record DriveSpec(DeviceProfile Profile, IBackingStore? Store = null, FaultPlan? Faults = null);

public sealed record MachineOptions
{
    /// <summary>Seeds every random stream of the machine.</summary>
    public ulong Seed { get; init; } = 1;

    public long MemoryBytes { get; init; } = GuestMemory.DefaultSize;

    /// <summary>Drives on ports 0, 1, ... of the AHCI controller.</summary>
    public IReadOnlyList<DriveSpec> Drives { get; init; } = [];

    public AhciHbaOptions? Hba { get; init; }

    /// <summary>Virtual nanoseconds from an interrupt being raised to its handler running.</summary>
    public long InterruptLatency { get; init; } = 1_000;
}
