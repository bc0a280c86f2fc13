namespace Hardware.Vfs;

/// <summary>open(2) flags, valued as Linux x86-64's.</summary>
[Flags]
public enum OpenFlags
{
    ReadOnly = 0,
    WriteOnly = 0x1,
    ReadWrite = 0x2,
    AccessModeMask = 0x3,
    Create = 0x40,
    Exclusive = 0x80,
    NoControllingTty = 0x100,
    Truncate = 0x200,
    Append = 0x400,
    NonBlock = 0x800,
    DataSync = 0x1000,
    Direct = 0x4000,
    Directory = 0x10000,
    NoFollow = 0x20000,
    CloseOnExec = 0x80000,
    Sync = 0x101000,
}

/// <summary>lseek whence values.</summary>
public enum SeekOrigin
{
    Set = 0,
    Current = 1,
    End = 2,
    Data = 3,
    Hole = 4,
}

/// <summary>renameat2 flags.</summary>
[Flags]
public enum RenameFlags
{
    None = 0,
    NoReplace = 1,
}
