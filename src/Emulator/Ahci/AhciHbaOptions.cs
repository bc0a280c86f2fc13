using Hardware.Emulator.Sata;

namespace Hardware.Emulator.Ahci;

/// <summary>How an <see cref="AhciHba"/> is built: port count, link speed, NCQ, PCI identity and its latencies (virtual ns).</summary>
public sealed record AhciHbaOptions
{
    /// <summary>Implemented ports, 1-32 (ICH9 has 6).</summary>
    public int Ports { get; init; } = 6;

    /// <summary>The fastest link the HBA negotiates (CAP.ISS).</summary>
    public SataGeneration Generation { get; init; } = SataGeneration.Gen3;

    /// <summary>CAP.SNCQ.</summary>
    public bool SupportsNcq { get; init; } = true;

    /// <summary>From PxCI being set (or the task file freeing up) to the command FIS leaving: header, CFIS and PRDT fetch. Default 500 ns.</summary>
    public long CommandFetchLatency { get; init; } = 500;

    /// <summary>How long GHC.HR reads 1 after software sets it. Default 2 us.</summary>
    public long HbaResetLatency { get; init; } = 2_000;

    /// <summary>From COMRESET released (or power-on) to PHY ready with COMINIT exchanged (PxSSTS.DET = 3). Default 10 us.</summary>
    public long LinkUpLatency { get; init; } = 10_000;

    /// <summary>PCI identity: Intel ICH9 AHCI (8086:2922, revision 02).</summary>
    public ushort VendorId { get; init; } = 0x8086;

    public ushort DeviceId { get; init; } = 0x2922;

    public byte RevisionId { get; init; } = 0x02;

    /// <summary>Subsystem ids: Intel's own (8086:2922), as a reference board reports them.</summary>
    public ushort SubsystemVendorId { get; init; } = 0x8086;

    public ushort SubsystemId { get; init; } = 0x2922;

    internal void Validate()
    {
        if (Ports is < 1 or > Spec.AhciLayout.MaxPorts)
            throw new ArgumentOutOfRangeException(nameof(Ports), Ports, "an AHCI HBA has 1-32 ports");
        if (!Enum.IsDefined(Generation))
            throw new ArgumentOutOfRangeException(nameof(Generation), Generation, "unknown SATA generation");
        ArgumentOutOfRangeException.ThrowIfNegative(CommandFetchLatency);
        ArgumentOutOfRangeException.ThrowIfNegative(HbaResetLatency);
        ArgumentOutOfRangeException.ThrowIfNegative(LinkUpLatency);
    }
}
