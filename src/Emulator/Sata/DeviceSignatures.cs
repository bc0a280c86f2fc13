namespace Hardware.Emulator.Sata;

/// <summary>Signatures a device reports in its first D2H FIS after reset, as a host assembles them into PxSIG.</summary>
public static class DeviceSignatures
{
    public const uint Disk = 0x0000_0101;
    public const uint Atapi = 0xEB14_0101;
    public const uint PortMultiplier = 0x9669_0101;
}
