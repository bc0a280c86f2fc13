namespace Hardware.Emulator.Ahci.Spec;

/// <summary>The command table a command header points at (AHCI 1.3.1, 4.2.3).</summary>
public static class CommandTableLayout
{
    /// <summary>CFIS: the command FIS, up to 64 bytes.</summary>
    public const int CommandFisOffset = 0x00;
    public const int CommandFisSize = 64;
    /// <summary>ACMD: the ATAPI command, 12 or 16 bytes.</summary>
    public const int AtapiCommandOffset = 0x40;
    public const int AtapiCommandSize = 16;
    /// <summary>PRDT: the physical region descriptor table, <see cref="CommandHeader.PrdTableLength"/> entries.</summary>
    public const int PrdTableOffset = 0x80;

    public static int Size(int prdEntries) => PrdTableOffset + prdEntries * PrdEntry.Size;
}
