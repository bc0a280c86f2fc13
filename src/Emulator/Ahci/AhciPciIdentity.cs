namespace Hardware.Emulator.Ahci;

/// <summary>Where the ICH9-style HBA keeps things in its PCI configuration space.</summary>
public static class AhciPciIdentity
{
    /// <summary>Mass storage (01), SATA (06), AHCI 1.0 programming interface (01).</summary>
    public const uint ClassCode = 0x01_06_01;

    /// <summary>ABAR is BAR5 (offset 24h).</summary>
    public const int AbarIndex = 5;

    public const int MsiCapabilityOffset = 0x80;

    /// <summary>SATA capability: ID 12h, next, SATACR0 (revision) at +2, SATACR1 at +4.</summary>
    public const int SataCapabilityOffset = 0xA8;
    public const int SataCapabilitySize = 8;

    /// <summary>SATACR0: capability revision 1.0.</summary>
    public const ushort SataCapabilityRevision = 0x0010;

    /// <summary>
    /// SATACR1: BARLOC and BAROFST of an index-data pair. This model offers no index-data pair (software uses ABAR),
    /// so the register reads zero.
    /// </summary>
    public const uint SataCapabilityRegister1 = 0;
}
