using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>What a mount is given: the device (null for RAM filesystems), flags and the options string.</summary>
public sealed record MountRequest(BlockDevice? Device, MountFlags Flags, string Options);

/// <summary>
/// A filesystem type (struct file_system_type): a name, flags, a mount function that reads - or for a RAM
/// filesystem fabricates - a superblock with its root dentry, and kill_sb. Each type keeps its live superblocks.
/// </summary>
public abstract class FileSystemType
{
    private readonly List<SuperBlock> _superBlocks = [];
    private int _nextAnonymousId = 1;

    protected FileSystemType(string name, FileSystemFlags flags)
    {
        Name = name;
        Flags = flags;
    }

    public string Name { get; }

    public FileSystemFlags Flags { get; }

    public bool RequiresDevice => (Flags & FileSystemFlags.RequiresDevice) != 0;

    /// <summary>fs_supers: the live instances.</summary>
    public IReadOnlyList<SuperBlock> SuperBlocks => _superBlocks;

    /// <summary>mount: validates the request, then builds the superblock (registered on success).</summary>
    public async ValueTask<VfsResult<SuperBlock>> MountAsync(VirtualFileSystem vfs, MountRequest request)
    {
        if (RequiresDevice && request.Device is null)
            return VfsResult<SuperBlock>.Fail(Errno.ENOTBLK, $"{Name}: mount needs a block device");
        VfsResult<SuperBlock> result = await FillSuperAsync(vfs, request);
        if (result.Ok)
        {
            result.Value.RealTimeAtStartNs = vfs.Options.RealTimeAtStartNs;
            _superBlocks.Add(result.Value);
        }
        return result;
    }

    /// <summary>kill_sb: the last mount of <paramref name="superBlock"/> went away.</summary>
    public async ValueTask KillSuperBlockAsync(SuperBlock superBlock)
    {
        if (!_superBlocks.Remove(superBlock))
            throw new InvalidOperationException($"{superBlock} is not a live instance of {Name}");
        await superBlock.Operations.PutSuperAsync(superBlock);
    }

    /// <summary>The filesystem's fill_super: read or fabricate the superblock and root inode.</summary>
    protected abstract ValueTask<VfsResult<SuperBlock>> FillSuperAsync(VirtualFileSystem vfs, MountRequest request);

    /// <summary>An anonymous device id for a superblock without a device ("ramfs:1").</summary>
    protected string NextAnonymousId() => $"{Name}:{_nextAnonymousId++}";

    public override string ToString() => $"{Name}{(RequiresDevice ? "" : " (nodev)")}";
}
