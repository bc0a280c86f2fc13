using Hardware.BlockLayer;
using Hardware.Vfs.RamFs;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// One mounted devfs: makes a node in its root for every char device region and block device the VFS has, and
/// keeps doing so as drivers and disks register (the devtmpfs half of device_add).
/// </summary>
internal sealed class DevFsInstance
{
    /// <summary>crw-rw-rw- for the memory devices, as udev leaves them.</summary>
    public const int CharNodeMode = 0x1B6;

    /// <summary>brw-rw---- (root:disk in Linux).</summary>
    public const int BlockNodeMode = 0x1B0;

    private readonly VirtualFileSystem _vfs;
    private readonly DevFileSystemType _type;
    private readonly SuperBlock _superBlock;
    private readonly RamInodeOperations _operations;

    public DevFsInstance(VirtualFileSystem vfs, DevFileSystemType type, SuperBlock superBlock, RamInodeOperations operations)
    {
        _vfs = vfs;
        _type = type;
        _superBlock = superBlock;
        _operations = operations;
    }

    public void Attach()
    {
        foreach (CharDeviceRegion region in _type.CharDevices.Regions)
            AddCharNodes(region);
        foreach (KeyValuePair<uint, BlockDevice> entry in _vfs.BlockDevices)
            AddBlockNode(entry.Key, entry.Value);
        _type.CharDevices.Registered += AddCharNodes;
        _vfs.BlockDeviceRegistered += AddBlockNode;
    }

    public void Detach()
    {
        _type.CharDevices.Registered -= AddCharNodes;
        _vfs.BlockDeviceRegistered -= AddBlockNode;
    }

    private void AddCharNodes(CharDeviceRegion region)
    {
        for (int minor = region.FirstMinor; minor < region.FirstMinor + region.Count; minor++)
        {
            string name = region.Count == 1 ? region.Name : $"{region.Name}{minor - region.FirstMinor}";
            AddNode(name, InodeType.CharDevice, CharNodeMode, DeviceNumber.Make(region.Major, minor));
        }
    }

    private void AddBlockNode(uint number, BlockDevice device) => AddNode(device.Name, InodeType.BlockDevice, BlockNodeMode, number);

    /// <summary>A node in the root unless the name is taken (by an earlier node or one made with mknod).</summary>
    private void AddNode(string name, InodeType type, int mode, uint number)
    {
        Inode root = _superBlock.Root.Inode!;
        if (_operations.Lookup(root, name) is not null)
            return;
        (Inode inode, Errno error) = _operations.Create(root, name, type, mode, Credentials.Root, number);
        if (error != Errno.None)
            throw new InvalidOperationException($"devfs: creating {name} ({DeviceNumber.Format(number)}) failed: {error}");
        if (type == InodeType.BlockDevice && _vfs.FindBlockDevice(number) is { } device)
            inode.Size = device.CapacityBytes;
        // A lookup may have cached the name as absent before the device arrived.
        _vfs.Dentries.Add(_superBlock.Root, name, inode);
    }
}
