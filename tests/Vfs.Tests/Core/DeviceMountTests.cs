using System.Buffers.Binary;
using Hardware.BlockLayer;
using Hardware.BlockLayer.Tracing;
using Hardware.Vfs.Cache;
using Hardware.Vfs.RamFs;
using Hardware.Vfs.Syscalls;
using Hardware.Vfs.Tests.Cache;
using static Hardware.Vfs.Tests.Core.VfsRig;

namespace Hardware.Vfs.Tests.Core;

/// <summary>
/// A device filesystem's mount path on the emulated machine: the source is a block device node, the type's mount
/// function reads the superblock from the disk through the buffer cache and refuses a disk without its magic.
/// </summary>
public sealed class DeviceMountTests
{
    private const uint Magic = 0x5EED_F00D;

    /// <summary>Reads block 0; its first four bytes must be the magic. The tree it presents is an empty directory.</summary>
    private sealed class MagicFileSystemType() : FileSystemType("magicfs", FileSystemFlags.RequiresDevice)
    {
        protected override async ValueTask<VfsResult<SuperBlock>> FillSuperAsync(VirtualFileSystem vfs, MountRequest request)
        {
            var buffers = new BufferCache(vfs.Cache, request.Device!, 4096);
            uint magic;
            using (BufferLease block = await buffers.GetBlockAsync(0))
            {
                if (!block.Ok)
                    return VfsResult<SuperBlock>.Fail(block.Status, $"{Name}: reading the superblock of {request.Device!.Name} failed");
                magic = BinaryPrimitives.ReadUInt32LittleEndian(block.Data);
            }
            await vfs.Cache.ReleaseAsync(buffers.Space);
            if (magic != Magic)
                return VfsResult<SuperBlock>.Fail(Errno.EINVAL, $"{Name}: no magicfs superblock on {request.Device!.Name} (magic {magic:x8})");
            var superBlock = new SuperBlock(this, request.Device!.Name, vfs.Simulation, vfs.Cache, request.Device, 4096, 1L << 40, request.Flags);
            var info = new RamSuperInfo(0);
            superBlock.FileSystemInfo = info;
            superBlock.Operations = info;
            Inode root = new RamInodeOperations(vfs).NewInode(superBlock, InodeType.Directory, 0x1ED, Credentials.Root, null, 0);
            superBlock.Root = DentryCache.CreateRoot(root);
            return VfsResult<SuperBlock>.Success(superBlock);
        }
    }

    [Fact]
    public void A_device_filesystem_mounts_from_a_block_device_node_after_reading_its_superblock()
    {
        using var machine = new CacheRig();
        VirtualFileSystem vfs = VfsBoot.Boot(machine.Simulation, machine.Cache);
        Ok(vfs.FileSystems.Register(new MagicFileSystemType()));
        vfs.RegisterBlockDevice(machine.Disk);
        var sys = new BlockingSystemCalls(new SystemCalls(vfs), machine.Simulation);
        Process root = vfs.CreateProcess(1, Credentials.Root);
        Ok(sys.Mkdir(root, "/data"));
        Ok(sys.Mknod(root, "/dev/disk", InodeType.BlockDevice, 0x1B0, machine.Disk.DeviceNumber));
        Ok(sys.Mknod(root, "/dev/nothing", InodeType.BlockDevice, 0x1B0, Inode.MakeDevice(250, 0)));

        Fails(Errno.EINVAL, sys.Mount(root, "/dev/disk", "/data", "magicfs"));
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        machine.Store.Write(0, header);
        Fails(Errno.ENOTBLK, sys.Mount(root, "/data", "/data", "magicfs"));
        Fails(Errno.ENXIO, sys.Mount(root, "/dev/nothing", "/data", "magicfs"));
        Ok(sys.Mount(root, "/dev/disk", "/data", "magicfs", MountFlags.ReadOnly));

        Assert.Equal(machine.Disk.Name, Ok(sys.Stat(root, "/data")).Device);
        Assert.Contains(machine.Trace.ToArray(), e => e.Action == BlockTraceAction.Issue && e.Op == BioOp.Read && e.Sector == 0);
        Fails(Errno.EROFS, sys.Mkdir(root, "/data/x"));
        Ok(sys.Umount(root, "/data"));
        Assert.Empty(vfs.FileSystems.Find("magicfs")!.SuperBlocks);
        machine.Run(() => vfs.ExitAsync(root).AsTask());
        SuperBlock rootfs = vfs.Mounts.Root!.SuperBlock;
        machine.Run(() => rootfs.Type.KillSuperBlockAsync(rootfs).AsTask());
    }
}
