namespace Hardware.Emulator.Platform;

/// <summary>Where a function sits in configuration space: bus, device (0-31), function (0-7).</summary>
public readonly record struct PciAddress(byte Bus, byte Device, byte Function)
{
    public const int MaxDevices = 32;
    public const int MaxFunctions = 8;

    public override string ToString() => $"{Bus:x2}:{Device:x2}.{Function}";
}
