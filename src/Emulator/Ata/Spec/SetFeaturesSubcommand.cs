namespace Hardware.Emulator.Ata.Spec;

/// <summary>SET FEATURES subcommands (Features 7:0, ACS-3 7.45) the drive implements; the rest are aborted.</summary>
public enum SetFeaturesSubcommand : byte
{
    EnableVolatileWriteCache = 0x02,
    DisableReadLookAhead = 0x55,
    DisableVolatileWriteCache = 0x82,
    EnableReadLookAhead = 0xAA,
}
