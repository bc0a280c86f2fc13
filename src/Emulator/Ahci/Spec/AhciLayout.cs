namespace Hardware.Emulator.Ahci.Spec;

/// <summary>Sizes, alignments and fixed values of the AHCI 1.3.1 register and memory layout.</summary>
public static class AhciLayout
{
    /// <summary>VS for AHCI 1.3.1.</summary>
    public const uint Version1_3_1 = 0x0001_0301;

    /// <summary>Generic host control 0x00-0x2B, reserved 0x2C-0x9F, vendor specific 0xA0-0xFF.</summary>
    public const int HostRegistersSize = 0x100;

    public const int FirstPortOffset = 0x100;
    public const int PortRegistersSize = 0x80;
    public const int MaxPorts = 32;
    public const int CommandSlots = 32;

    /// <summary>32 command headers of 32 bytes.</summary>
    public const int CommandListSize = CommandSlots * CommandHeader.Size;
    public const int CommandListAlignment = 1024;
    public const int ReceivedFisAlignment = 256;
    public const int CommandTableAlignment = 128;

    /// <summary>A PRDT may hold up to 65535 entries (PRDTL is 16 bits).</summary>
    public const int MaxPrdEntries = 0xFFFF;

    public static int PortBase(int port)
    {
        if ((uint)port >= MaxPorts)
            throw new ArgumentOutOfRangeException(nameof(port), port, "AHCI ports are 0-31");
        return FirstPortOffset + port * PortRegistersSize;
    }

    public static int PortRegisterOffset(int port, PortRegister register) => PortBase(port) + (int)register;

    /// <summary>ABAR size for a port count: at least 2 KiB as on ICH9, a power of two covering every port bank.</summary>
    public static uint AbarSize(int ports)
    {
        uint needed = (uint)(FirstPortOffset + ports * PortRegistersSize);
        return Math.Max(0x800u, System.Numerics.BitOperations.RoundUpToPowerOf2(needed));
    }
}
