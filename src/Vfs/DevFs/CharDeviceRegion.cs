namespace Hardware.Vfs.DevFs;

/// <summary>A registered range of char-device numbers (a cdev): major, first minor, count, name and driver.</summary>
public sealed record CharDeviceRegion(int Major, int FirstMinor, int Count, string Name, IFileOperations Driver)
{
    public bool Contains(int major, int minor) => major == Major && minor >= FirstMinor && minor < FirstMinor + Count;

    public bool Overlaps(CharDeviceRegion other) =>
        other.Major == Major && other.FirstMinor < FirstMinor + Count && FirstMinor < other.FirstMinor + other.Count;

    public override string ToString() => $"{Name} ({Major}:{FirstMinor}..{FirstMinor + Count - 1})";
}
