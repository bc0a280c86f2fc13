using Hardware.BlockLayer;
using Hardware.Vfs.Cache;
using Hardware.Vfs.RamFs;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// devtmpfs: a filesystem without a device whose instances hold a node for every registered char device and block
/// device (disks and partitions, named as the block layer names them). It owns the VFS's char-device driver table and
/// block-device file operations, which <see cref="Install"/> makes the special-file operations of every char and
/// block inode, wherever the node lives. The memory devices (null, zero, full, random, urandom) are registered at
/// install with Linux's numbers.
/// </summary>
public sealed class DevFileSystemType : FileSystemType
{
    public const string TypeName = "devtmpfs";

    /// <summary>devtmpfs reports TMPFS_MAGIC.</summary>
    public const long Magic = 0x01021994;

    private DevFileSystemType(VirtualFileSystem vfs)
        : base(TypeName, FileSystemFlags.None)
    {
        Vfs = vfs;
        BlockDevices = new BlockDeviceFileOperations(vfs);
    }

    public VirtualFileSystem Vfs { get; }

    /// <summary>The char-device driver table (major/minor to driver).</summary>
    public CharDeviceTable CharDevices { get; } = new();

    /// <summary>def_blk_fops with the per-device page caches.</summary>
    public BlockDeviceFileOperations BlockDevices { get; }

    /// <summary>Registers devtmpfs and the memory devices with <paramref name="vfs"/> and installs the device tables.</summary>
    public static DevFileSystemType Install(VirtualFileSystem vfs)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        var type = new DevFileSystemType(vfs);
        type.RegisterMemoryDevices();
        VfsResult registered = vfs.FileSystems.Register(type);
        if (!registered.Ok)
            throw new InvalidOperationException($"devfs: {registered}");
        vfs.SetSpecialFileOperations(InodeType.CharDevice, type.CharDevices);
        vfs.SetSpecialFileOperations(InodeType.BlockDevice, type.BlockDevices);
        return type;
    }

    /// <summary>The devtmpfs instance of <paramref name="vfs"/>, if installed.</summary>
    public static DevFileSystemType? Find(VirtualFileSystem vfs) => vfs.FileSystems.Find(TypeName) as DevFileSystemType;

    private void RegisterMemoryDevices()
    {
        Register(NullDevice.Minor, "null", new NullDevice());
        Register(ZeroDevice.Minor, "zero", new ZeroDevice());
        Register(FullDevice.Minor, "full", new FullDevice());
        Register(RandomDevice.RandomMinor, "random", new RandomDevice(Vfs.Simulation, "random"));
        Register(RandomDevice.UrandomMinor, "urandom", new RandomDevice(Vfs.Simulation, "urandom"));
    }

    private void Register(int minor, string name, IFileOperations driver)
    {
        VfsResult registered = CharDevices.Register(DeviceNumber.MemoryMajor, minor, 1, name, driver);
        if (!registered.Ok)
            throw new InvalidOperationException($"devfs: {registered}");
    }

    protected override ValueTask<VfsResult<SuperBlock>> FillSuperAsync(VirtualFileSystem vfs, MountRequest request)
    {
        if (request.Options.Length != 0)
            return new(VfsResult<SuperBlock>.Fail(Errno.EINVAL, $"{Name}: takes no mount options ('{request.Options}')"));
        if (!ReferenceEquals(vfs, Vfs))
            throw new InvalidOperationException($"{Name} was installed in another VFS");
        var superBlock = new SuperBlock(this, NextAnonymousId(), vfs.Simulation, vfs.Cache, null, CachePage.Size, RamFileSystemType.MaxFileSize, request.Flags);
        var tree = new RamSuperInfo(0);
        var operations = new RamInodeOperations(vfs);
        superBlock.FileSystemInfo = tree;
        Inode root = operations.NewInode(superBlock, InodeType.Directory, 0x1ED, Credentials.Root, null, 0);
        superBlock.Root = DentryCache.CreateRoot(root);
        var instance = new DevFsInstance(vfs, this, superBlock, operations);
        superBlock.Operations = new DevSuperOperations(tree, this, instance);
        instance.Attach();
        return new(VfsResult<SuperBlock>.Success(superBlock));
    }
}
