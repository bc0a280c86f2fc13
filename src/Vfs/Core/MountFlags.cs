namespace Hardware.Vfs;

/// <summary>mount(2) flags (MS_*), valued as Linux's.</summary>
[Flags]
public enum MountFlags
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
}

/// <summary>What a filesystem type needs (FS_* flags of file_system_type).</summary>
[Flags]
public enum FileSystemFlags
{
    None = 0,
    /// <summary>FS_REQUIRES_DEV: mount needs a block device as its source.</summary>
    RequiresDevice = 1,
}
