using Hardware.BlockLayer;

namespace Hardware.Vfs.Syscalls;

public sealed partial class SystemCalls
{
    /// <summary>
    /// mount(2): root only. A type that requires a device takes <paramref name="source"/> as the path of a block
    /// device node (ENOTBLK otherwise, ENXIO if no disk has its number); others take it as a free-form name. The
    /// new mount covers <paramref name="target"/> (stacking on any mount already there).
    /// </summary>
    public async ValueTask<VfsResult> MountAsync(Process process, string source, string target, string fileSystemType,
        MountFlags flags = MountFlags.None, string options = "")
    {
        if (!process.Credentials.IsRoot)
            return VfsResult.Fail(Errno.EPERM, $"mount {target}: only root may mount");
        FileSystemType? type = Vfs.FileSystems.Find(fileSystemType);
        if (type is null)
            return VfsResult.Fail(Errno.ENODEV, $"mount {target}: filesystem type {fileSystemType} is not registered");
        VfsResult<VfsPath> at = await Walker.ResolveAsync(process, process.WorkingDirectory, target, followLast: true);
        if (!at.Ok)
            return at.Status;
        if (!at.Value.Inode!.IsDirectory)
            return VfsResult.Fail(Errno.ENOTDIR, $"mount {target}: not a directory");
        BlockDevice? device = null;
        if (type.RequiresDevice)
        {
            VfsResult<VfsPath> node = await Walker.ResolveAsync(process, process.WorkingDirectory, source, followLast: true);
            if (!node.Ok)
                return node.Status;
            Inode deviceInode = node.Value.Inode!;
            if (deviceInode.Type != InodeType.BlockDevice)
                return VfsResult.Fail(Errno.ENOTBLK, $"mount {source}: not a block device");
            if (node.Value.Mount.Flags.HasFlag(MountFlags.NoDev))
                return VfsResult.Fail(Errno.EACCES, $"mount {source}: device nodes are disabled on its mount (nodev)");
            device = Vfs.FindBlockDevice(deviceInode.DeviceNumber);
            if (device is null)
                return VfsResult.Fail(Errno.ENXIO, $"mount {source}: no disk behind device {deviceInode.DeviceNumber >> 20}:{deviceInode.DeviceNumber & 0xFFFFF}");
        }
        VfsResult<SuperBlock> superBlock = await type.MountAsync(Vfs, new MountRequest(device, flags, options));
        if (!superBlock.Ok)
            return VfsResult.Fail(superBlock.Errno, $"mount {source} on {target}: {superBlock.Message}");
        Vfs.Mounts.Attach(superBlock.Value, flags, source, at.Value);
        return VfsResult.Success;
    }

    /// <summary>
    /// umount(2): root only; <paramref name="target"/> must be a mount's root (EINVAL); a mount with mounts on it,
    /// open files or working directories inside, or the namespace root, is busy (EBUSY). Dirty data is written
    /// first; the superblock is killed with its last mount.
    /// </summary>
    public async ValueTask<VfsResult> UmountAsync(Process process, string target)
    {
        if (!process.Credentials.IsRoot)
            return VfsResult.Fail(Errno.EPERM, $"umount {target}: only root may unmount");
        VfsResult<VfsPath> at = await Walker.ResolveAsync(process, process.WorkingDirectory, target, followLast: true);
        if (!at.Ok)
            return at.Status;
        VfsMount mount = at.Value.Mount;
        if (at.Value.Dentry != mount.Root)
            return VfsResult.Fail(Errno.EINVAL, $"umount {target}: not a mount point");
        if (mount.Parent is null)
            return VfsResult.Fail(Errno.EBUSY, $"umount {target}: the root filesystem");
        if (mount.Children.Count > 0)
            return VfsResult.Fail(Errno.EBUSY, $"umount {target}: {mount.Children.Count} mounts below it");
        if (mount.ReferenceCount > 0)
            return VfsResult.Fail(Errno.EBUSY, $"umount {target}: {mount.ReferenceCount} open files or working directories inside");
        SuperBlock superBlock = mount.SuperBlock;
        Vfs.Mounts.Detach(mount);
        if (superBlock.MountCount == 0)
        {
            Errno synced = await Vfs.Cache.SyncAllAsync(process.Id);
            Errno metadata = await superBlock.Operations.SyncAsync(superBlock);
            Vfs.Dentries.Prune(superBlock.Root);
            await superBlock.Type.KillSuperBlockAsync(superBlock);
            Errno error = synced != Errno.None ? synced : metadata;
            if (error != Errno.None)
                return VfsResult.Fail(error, $"umount {target}: writing back dirty data failed");
        }
        return VfsResult.Success;
    }

    /// <summary>sync(2): every dirty page and every superblock's metadata, then cache flushes.</summary>
    public async ValueTask<VfsResult> SyncAsync(Process process)
    {
        Errno first = await Vfs.Cache.SyncAllAsync(process.Id);
        foreach (FileSystemType type in Vfs.FileSystems.Types)
        {
            foreach (SuperBlock superBlock in type.SuperBlocks.ToArray())
            {
                Errno error = await superBlock.Operations.SyncAsync(superBlock);
                if (first == Errno.None)
                    first = error;
            }
        }
        return first == Errno.None ? VfsResult.Success : VfsResult.Fail(first, "sync: writeback failed");
    }
}
