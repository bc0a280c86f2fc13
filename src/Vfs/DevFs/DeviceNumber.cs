namespace Hardware.Vfs.DevFs;

/// <summary>dev_t helpers in the kernel's internal layout (major &lt;&lt; 20 | minor), and the majors devfs knows.</summary>
public static class DeviceNumber
{
    /// <summary>MEM_MAJOR: the memory devices (null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9).</summary>
    public const int MemoryMajor = 1;

    public const int MaxMajor = (1 << 12) - 1;

    public const int MaxMinor = (1 << 20) - 1;

    public static uint Make(int major, int minor) => Inode.MakeDevice(major, minor);

    public static int Major(uint device) => (int)(device >> 20);

    public static int Minor(uint device) => (int)(device & MaxMinor);

    /// <summary>"8:1", as /proc and ls -l show a device number.</summary>
    public static string Format(uint device) => $"{Major(device)}:{Minor(device)}";
}
