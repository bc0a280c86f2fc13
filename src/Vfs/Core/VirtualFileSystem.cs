using Hardware.BlockLayer;
using Hardware.Emulator.Simulation;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs;

/// <summary>Tunables of the VFS core.</summary>
public sealed record VfsOptions
{
    /// <summary>Bound of the dentry cache, in dentries.</summary>
    public int DentryCacheCapacity { get; init; } = DentryCache.DefaultCapacity;

    /// <summary>RLIMIT_NOFILE of new processes.</summary>
    public int DescriptorLimit { get; init; } = FileDescriptorTable.DefaultLimit;

    /// <summary>
    /// The real-time clock (ns since the Unix epoch) at virtual time 0; file times are this plus virtual time. A fixed
    /// default (2026-01-01T00:00:00Z) keeps runs deterministic; tools may pass the host's clock.
    /// </summary>
    public long RealTimeAtStartNs { get; init; } = DefaultRealTimeAtStartNs;

    public const long DefaultRealTimeAtStartNs = 1_767_225_600L * 1_000_000_000L;
}

/// <summary>
/// The VFS of one machine: registered filesystem types, the mount tree, the dentry cache, the page cache every
/// filesystem keeps its data in, the block devices mount sources name, and the processes' view (root, cwd, files).
/// </summary>
public sealed class VirtualFileSystem
{
    private readonly Dictionary<uint, BlockDevice> _blockDevices = [];

    public VirtualFileSystem(Simulation simulation, PageCache cache, VfsOptions? options = null)
    {
        Simulation = simulation;
        Cache = cache;
        Options = options ?? new VfsOptions();
        Dentries = new DentryCache(Options.DentryCacheCapacity);
        Walker = new PathWalker(Dentries, Mounts);
    }

    public Simulation Simulation { get; }

    public PageCache Cache { get; }

    public VfsOptions Options { get; }

    /// <summary>CLOCK_REALTIME: what file times are stamped with.</summary>
    public long RealTimeNs => Options.RealTimeAtStartNs + Simulation.Now;

    public FileSystemRegistry FileSystems { get; } = new();

    public MountTree Mounts { get; } = new();

    public DentryCache Dentries { get; }

    public PathWalker Walker { get; }

    /// <summary>The namespace root (after <see cref="MountRootAsync"/>).</summary>
    public VfsPath RootPath => new(Mounts.Root ?? throw new InvalidOperationException("no root filesystem is mounted"), Mounts.Root.Root);

    /// <summary>Makes <paramref name="device"/> the block device behind device number <paramref name="deviceNumber"/> (a mount source).</summary>
    public void RegisterBlockDevice(uint deviceNumber, BlockDevice device)
    {
        _blockDevices[deviceNumber] = device;
        BlockDeviceRegistered?.Invoke(deviceNumber, device);
    }

    /// <summary>Makes a disk or partition a mount source under its own device number.</summary>
    public void RegisterBlockDevice(BlockDevice device) => RegisterBlockDevice(device.DeviceNumber, device);

    /// <summary>Raised after a block device is registered (devfs makes its node).</summary>
    public event Action<uint, BlockDevice>? BlockDeviceRegistered;

    /// <summary>The registered block devices by device number.</summary>
    public IReadOnlyDictionary<uint, BlockDevice> BlockDevices => _blockDevices;

    public BlockDevice? FindBlockDevice(uint deviceNumber) => _blockDevices.GetValueOrDefault(deviceNumber);

    /// <summary>Mounts the root filesystem (init_mount_tree).</summary>
    public async ValueTask<VfsResult> MountRootAsync(string fileSystemType, MountFlags flags = MountFlags.None, string options = "")
    {
        FileSystemType? type = FileSystems.Find(fileSystemType);
        if (type is null)
            return VfsResult.Fail(Errno.ENODEV, $"filesystem type {fileSystemType} is not registered");
        VfsResult<SuperBlock> superBlock = await type.MountAsync(this, new MountRequest(null, flags, options));
        if (!superBlock.Ok)
            return superBlock.Status;
        Mounts.SetRoot(superBlock.Value, flags, fileSystemType);
        return VfsResult.Success;
    }

    /// <summary>
    /// kern_mount: an instance of <paramref name="fileSystemType"/> mounted outside the namespace, for subsystems that
    /// make inodes without names (pipes, sockets) and open them with <see cref="OpenAnonymous"/>.
    /// </summary>
    public async ValueTask<VfsResult<VfsMount>> KernelMountAsync(string fileSystemType, string options = "")
    {
        FileSystemType? type = FileSystems.Find(fileSystemType);
        if (type is null)
            return VfsResult<VfsMount>.Fail(Errno.ENODEV, $"filesystem type {fileSystemType} is not registered");
        VfsResult<SuperBlock> superBlock = await type.MountAsync(this, new MountRequest(null, MountFlags.None, options));
        if (!superBlock.Ok)
            return superBlock.Status;
        return VfsResult<VfsMount>.Success(MountTree.Internal(superBlock.Value, fileSystemType));
    }

    /// <summary>
    /// Opens <paramref name="inode"/> (made on <paramref name="mount"/>'s superblock, linked nowhere) as a file under an
    /// unhashed dentry named <paramref name="name"/> ("pipe:[12]"): its operations are the inode's file operations.
    /// </summary>
    public VfsResult<File> OpenAnonymous(Process process, VfsMount mount, Inode inode, string name, OpenFlags flags) =>
        OpenFile(process, new VfsPath(mount, DentryCache.CreateAnonymous(mount.Root, name, inode)), flags);

    /// <summary>A process whose root and working directory are the namespace root.</summary>
    public Process CreateProcess(int id, Credentials credentials)
    {
        VfsPath root = RootPath;
        GetPath(root);
        GetPath(root);
        return new Process(id, credentials, root, root, Options.DescriptorLimit);
    }

    /// <summary>
    /// fork: a child with the parent's credentials, umask, root, working directory and every descriptor (sharing the
    /// open files, so positions are shared; close-on-exec flags are copied).
    /// </summary>
    public Process Fork(Process parent, int id)
    {
        GetPath(parent.Root);
        GetPath(parent.WorkingDirectory);
        var child = new Process(id, parent.Credentials, parent.Root, parent.WorkingDirectory, parent.Files.Limit) { Umask = parent.Umask };
        child.Files.CopyFrom(parent.Files);
        return child;
    }

    /// <summary>exec: closes every descriptor marked close-on-exec; the rest stay open.</summary>
    public async ValueTask ExecAsync(Process process)
    {
        foreach (int fd in process.Files.Descriptors.ToArray())
        {
            if (process.Files.IsCloseOnExec(fd))
                await ReleaseFileAsync(process.Files.Remove(fd)!);
        }
    }

    /// <summary>Takes a reference on a path (the mount becomes busy, the dentry pinned in the cache).</summary>
    public void GetPath(VfsPath path)
    {
        path.Mount.ReferenceCount++;
        Dentries.Get(path.Dentry);
    }

    public void PutPath(VfsPath path)
    {
        path.Mount.ReferenceCount--;
        Dentries.Put(path.Dentry);
    }

    /// <summary>Changes the process's working directory (the old one's reference is dropped).</summary>
    public void SetWorkingDirectory(Process process, VfsPath path)
    {
        GetPath(path);
        PutPath(process.WorkingDirectory);
        process.WorkingDirectory = path;
    }

    /// <summary>Frees an inode nobody can reach any more: no links and no open files (iput_final).</summary>
    public ValueTask ReleaseIfUnusedAsync(Inode inode) =>
        inode.LinkCount == 0 && inode.OpenCount == 0 ? inode.SuperBlock.Operations.EvictInodeAsync(inode) : ValueTask.CompletedTask;

    /// <summary>Drops every process reference of <paramref name="process"/> (exit): descriptors, root and cwd.</summary>
    public async ValueTask ExitAsync(Process process)
    {
        foreach (int fd in process.Files.Descriptors.ToArray())
            await ReleaseFileAsync(process.Files.Remove(fd)!);
        PutPath(process.WorkingDirectory);
        PutPath(process.Root);
    }

    /// <summary>Drops one descriptor's reference to an open file; the last one releases it (fput).</summary>
    public ValueTask ReleaseFileAsync(File file)
    {
        if (--file.ReferenceCount > 0)
            return ValueTask.CompletedTask;
        file.Operations.Release(file);
        Inode inode = file.Inode;
        inode.OpenCount--;
        VfsPath path = file.Path;
        PutPath(path);
        if (path.Dentry.IsUnhashed && path.Dentry.ReferenceCount == 0)
            path.Dentry.Inode = null;
        RecycleFile(file);
        return ReleaseIfUnusedAsync(inode);
    }

    /// <summary>An open file of <paramref name="path"/> (the caller has checked access); the inode's file operations may refuse it.</summary>
    public VfsResult<File> OpenFile(Process process, VfsPath path, OpenFlags flags)
    {
        Inode inode = path.Inode!;
        File file;
        if (_freeFiles.TryPop(out File? reused))
        {
            file = reused;
            file.Bind(path, inode, flags, Cache.Options.ReadAheadMaxPages);
        }
        else
        {
            file = new File(path, inode, flags, Cache.Options.ReadAheadMaxPages);
        }
        file.ProcessId = process.Id;
        Errno refused = file.Operations.Open(file);
        if (refused != Errno.None)
        {
            RecycleFile(file);
            return VfsResult<File>.Fail(refused, OpenRefusal(path, inode, flags));
        }
        GetPath(path);
        inode.OpenCount++;
        return VfsResult<File>.Success(file);
    }

    private static string OpenRefusal(VfsPath path, Inode inode, OpenFlags flags)
    {
        if (inode.Type is InodeType.CharDevice or InodeType.BlockDevice)
            return $"{path.Dentry.FullName}: open refused by the {inode.Type} driver of device {inode.DeviceNumber >> 20}:{inode.DeviceNumber & 0xFFFFF}";
        if (inode.Type == InodeType.Regular && (flags & OpenFlags.Direct) != 0)
            return $"{inode.SuperBlock.Type.Name} has no O_DIRECT";
        return $"{path.Dentry.FullName}: open refused by the {inode.Type} driver";
    }

    /// <summary>
    /// i_fop for special inodes (init_special_inode), by type: FIFOs, char and block devices and sockets get their
    /// tables from the subsystems that drive them; until one is set, opening such a node gives ENXIO.
    /// </summary>
    public IFileOperations SpecialFileOperations(InodeType type) => _specialFileOperations.GetValueOrDefault(type) ?? NoDeviceFileOperations.Instance;

    /// <summary>Installs the file operations new inodes of <paramref name="type"/> get (pipes: Fifo, devfs: CharDevice, ...).</summary>
    public void SetSpecialFileOperations(InodeType type, IFileOperations operations) => _specialFileOperations[type] = operations;

    private readonly Dictionary<InodeType, IFileOperations> _specialFileOperations = [];

    /// <summary>Released files kept for reuse (the filp slab cache); at most <see cref="FreeFileLimit"/>.</summary>
    private readonly Stack<File> _freeFiles = new();

    /// <summary>How many released file objects are kept: enough for a process's working set of opens.</summary>
    public const int FreeFileLimit = 64;

    private void RecycleFile(File file)
    {
        file.Unbind();
        if (_freeFiles.Count < FreeFileLimit)
            _freeFiles.Push(file);
    }
}
