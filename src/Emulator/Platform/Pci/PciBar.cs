namespace Hardware.Emulator.Platform;

/// <summary>
/// A base address register as the function defines it: a 32-bit memory BAR of a power-of-two size. The base the
/// firmware or driver programs lives in configuration space; this is the static part.
/// </summary>
public readonly record struct PciBarDefinition(int Index, uint Size, bool Prefetchable)
{
    public const int Count = 6;

    /// <summary>The smallest memory BAR the spec allows.</summary>
    public const uint MinimumSize = 16;

    public int ConfigOffset => (int)PciConfigRegister.Bar0 + Index * 4;

    /// <summary>Memory space indicator 0, type 00 (32-bit), bit 3 prefetchable.</summary>
    public uint TypeBits => Prefetchable ? 0x8u : 0x0u;
}
