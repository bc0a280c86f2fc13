using Hardware.BlockLayer;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// The char-device driver table (cdev_map with register_chrdev_region/cdev_add) and the file operations every
/// char-device inode gets (def_chr_fops): open looks the inode's device number up and binds the open file to that
/// driver (chrdev_open); a number no driver registered gives ENXIO. Each later call goes to the bound driver.
/// </summary>
public sealed class CharDeviceTable : IFileOperations
{
    private readonly List<CharDeviceRegion> _regions = [];

    public IReadOnlyList<CharDeviceRegion> Regions => _regions;

    /// <summary>Raised after a region is registered (devfs makes its nodes).</summary>
    public event Action<CharDeviceRegion>? Registered;

    /// <summary>Registers <paramref name="driver"/> for minors [firstMinor, firstMinor + count) of <paramref name="major"/>; EBUSY on overlap.</summary>
    public VfsResult Register(int major, int firstMinor, int count, string name, IFileOperations driver)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(driver);
        if (major is <= 0 or > DeviceNumber.MaxMajor || firstMinor < 0 || count <= 0 || (long)firstMinor + count - 1 > DeviceNumber.MaxMinor)
            return VfsResult.Fail(Errno.EINVAL, $"char device {name}: bad range {major}:{firstMinor} count {count}");
        var region = new CharDeviceRegion(major, firstMinor, count, name, driver);
        foreach (CharDeviceRegion existing in _regions)
        {
            if (existing.Overlaps(region))
                return VfsResult.Fail(Errno.EBUSY, $"char device {region}: overlaps {existing}");
        }
        _regions.Add(region);
        Registered?.Invoke(region);
        return VfsResult.Success;
    }

    /// <summary>Removes the region registered at exactly (major, firstMinor, count); open files keep their driver.</summary>
    public VfsResult Unregister(int major, int firstMinor, int count)
    {
        int index = _regions.FindIndex(r => r.Major == major && r.FirstMinor == firstMinor && r.Count == count);
        if (index < 0)
            return VfsResult.Fail(Errno.ENOENT, $"char device region {major}:{firstMinor} count {count} is not registered");
        _regions.RemoveAt(index);
        return VfsResult.Success;
    }

    /// <summary>The region serving <paramref name="device"/>, or null.</summary>
    public CharDeviceRegion? Find(uint device)
    {
        int major = DeviceNumber.Major(device);
        int minor = DeviceNumber.Minor(device);
        foreach (CharDeviceRegion region in _regions)
        {
            if (region.Contains(major, minor))
                return region;
        }
        return null;
    }

    public bool IsSeekable => true;

    /// <summary>chrdev_open: binds the file to the driver of its inode's number (ENXIO without one), then the driver's open.</summary>
    public Errno Open(File file)
    {
        CharDeviceRegion? region = Find(file.Inode.DeviceNumber);
        if (region is null)
            return Errno.ENXIO;
        Errno opened = region.Driver.Open(file);
        if (opened == Errno.None)
            file.Private = region.Driver;
        return opened;
    }

    public void Release(File file) => Driver(file).Release(file);

    public ValueTask<IoResult> ReadAsync(File file, long position, Memory<byte> buffer) => Driver(file).ReadAsync(file, position, buffer);

    public ValueTask<IoResult> WriteAsync(File file, long position, ReadOnlyMemory<byte> buffer) => Driver(file).WriteAsync(file, position, buffer);

    public ValueTask<Errno> FsyncAsync(File file, bool dataOnly) => Driver(file).FsyncAsync(file, dataOnly);

    public ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) => Driver(file).SeekDataOrHoleAsync(file, offset, data);

    private static IFileOperations Driver(File file) =>
        file.Private as IFileOperations ?? throw new InvalidOperationException($"{file} was not opened through the char device table");
}
