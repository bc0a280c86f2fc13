namespace Hardware.BlockLayer.Partitions;

/// <summary>MBR partition type bytes the scanner gives meaning to (Linux msdos.c and efi.c).</summary>
public static class MbrPartitionType
{
    public const byte Empty = 0x00;
    /// <summary>DOS extended partition (CHS addressed).</summary>
    public const byte Extended = 0x05;
    /// <summary>Windows extended partition (LBA addressed).</summary>
    public const byte ExtendedLba = 0x0F;
    /// <summary>Linux extended partition.</summary>
    public const byte LinuxExtended = 0x85;
    /// <summary>The protective entry of a GPT disk.</summary>
    public const byte GptProtective = 0xEE;

    public static bool IsExtended(byte type) => type is Extended or ExtendedLba or LinuxExtended;
}
