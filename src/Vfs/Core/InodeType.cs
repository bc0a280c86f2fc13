namespace Hardware.Vfs;

/// <summary>The file type, valued as the S_IFMT bits of st_mode.</summary>
public enum InodeType
{
    Fifo = 0x1000,
    CharDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    Regular = 0x8000,
    Symlink = 0xA000,
    Socket = 0xC000,
}

/// <summary>Permission and special bits of st_mode.</summary>
public static class ModeBits
{
    public const int SetUid = 0x800;
    public const int SetGid = 0x400;
    public const int Sticky = 0x200;
    public const int Permissions = 0x1FF;
    /// <summary>Everything chmod may set (07777).</summary>
    public const int All = 0xFFF;
    public const int TypeMask = 0xF000;
}
