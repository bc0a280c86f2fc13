namespace Hardware.Emulator.Ahci.Spec;

/// <summary>PxSIG values: what the device's first D2H Register FIS after reset says it is (SATA 3.x, 11.3).</summary>
public static class DeviceSignature
{
    /// <summary>Until a device has signed on.</summary>
    public const uint None = 0xFFFF_FFFF;
    public const uint Ata = 0x0000_0101;
    public const uint Atapi = 0xEB14_0101;
    public const uint PortMultiplier = 0x9669_0101;
    public const uint EnclosureBridge = 0xC33C_0101;
}
