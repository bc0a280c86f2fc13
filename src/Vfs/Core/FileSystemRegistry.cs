using Hardware.BlockLayer;

namespace Hardware.Vfs;

/// <summary>The registered filesystem types (register_filesystem / unregister_filesystem / get_fs_type).</summary>
public sealed class FileSystemRegistry
{
    private readonly Dictionary<string, FileSystemType> _types = new(StringComparer.Ordinal);

    public IReadOnlyCollection<FileSystemType> Types => _types.Values;

    public VfsResult Register(FileSystemType type)
    {
        if (!_types.TryAdd(type.Name, type))
            return VfsResult.Fail(Errno.EBUSY, $"filesystem type {type.Name} is already registered");
        return VfsResult.Success;
    }

    /// <summary>Refused (EBUSY) while the type has live superblocks.</summary>
    public VfsResult Unregister(string name)
    {
        if (!_types.TryGetValue(name, out FileSystemType? type))
            return VfsResult.Fail(Errno.ENOENT, $"filesystem type {name} is not registered");
        if (type.SuperBlocks.Count > 0)
            return VfsResult.Fail(Errno.EBUSY, $"filesystem type {name} has {type.SuperBlocks.Count} live superblocks");
        _types.Remove(name);
        return VfsResult.Success;
    }

    public FileSystemType? Find(string name) => _types.GetValueOrDefault(name);
}
