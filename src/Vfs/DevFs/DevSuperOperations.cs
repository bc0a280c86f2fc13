using Hardware.BlockLayer;
using Hardware.Vfs.RamFs;

namespace Hardware.Vfs.DevFs;

/// <summary>
/// A devfs instance's super operations: its tree is a ramfs tree (statfs, sync, eviction), and going away it stops
/// following device registrations and drops the page caches of block devices nobody has open.
/// </summary>
internal sealed class DevSuperOperations : ISuperBlockOperations
{
    private readonly RamSuperInfo _tree;
    private readonly DevFileSystemType _type;
    private readonly DevFsInstance _instance;

    public DevSuperOperations(RamSuperInfo tree, DevFileSystemType type, DevFsInstance instance)
    {
        _tree = tree;
        _type = type;
        _instance = instance;
    }

    public StatFs StatFs(SuperBlock superBlock) => _tree.StatFs(superBlock) with { Type = DevFileSystemType.Magic };

    public ValueTask<Errno> SyncAsync(SuperBlock superBlock) => _tree.SyncAsync(superBlock);

    public ValueTask EvictInodeAsync(Inode inode) => _tree.EvictInodeAsync(inode);

    public async ValueTask PutSuperAsync(SuperBlock superBlock)
    {
        _instance.Detach();
        await _type.BlockDevices.ReleaseUnusedAsync();
        await _tree.PutSuperAsync(superBlock);
    }
}
