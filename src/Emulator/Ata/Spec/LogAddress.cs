namespace Hardware.Emulator.Ata.Spec;

/// <summary>General Purpose Log addresses (ACS-3 A.1) the drive answers through READ LOG EXT.</summary>
public enum LogAddress : byte
{
    /// <summary>Log directory: the number of pages of every log address.</summary>
    Directory = 0x00,
    /// <summary>NCQ Command Error log: which queued command failed, and why.</summary>
    NcqCommandError = 0x10,
}
