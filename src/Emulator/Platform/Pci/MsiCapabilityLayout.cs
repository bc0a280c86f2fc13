namespace Hardware.Emulator.Platform;

/// <summary>
/// The MSI capability structure with a 64-bit message address (PCI 3.0, 6.8.1), offsets relative to the
/// capability's start.
/// </summary>
public static class MsiCapabilityLayout
{
    public const int CapabilityId = 0x00;
    public const int NextPointer = 0x01;
    public const int MessageControl = 0x02;
    public const int MessageAddress = 0x04;
    public const int MessageUpperAddress = 0x08;
    public const int MessageData = 0x0C;
    public const int Size = 0x10;

    /// <summary>Message Control bit 0: MSI Enable.</summary>
    public const ushort Enable = 1 << 0;
    /// <summary>Message Control bits 3:1: Multiple Message Capable (log2 of the vectors requested).</summary>
    public const ushort MultipleMessageCapableMask = 0x7 << 1;
    /// <summary>Message Control bits 6:4: Multiple Message Enable (log2 of the vectors granted).</summary>
    public const ushort MultipleMessageEnableMask = 0x7 << 4;
    /// <summary>Message Control bit 7: 64-bit address capable.</summary>
    public const ushort Address64Capable = 1 << 7;
}
