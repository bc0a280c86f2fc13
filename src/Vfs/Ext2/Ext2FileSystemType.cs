using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// The "ext2" filesystem type (needs a block device). Mount reads the superblock at byte 1024 through the device's
/// buffer cache, validates it (magic, block size, revision, counts, features), reads the group descriptors and loads
/// the directory tree. A read-write mount (refused while unknown ro_compat features are set) counts the mount in the
/// superblock and marks it not clean until umount, as Linux ext2 does; an unchecked fs or one with errors still
/// mounts, with a warning in <see cref="Ext2Volume.Warnings"/>.
/// </summary>
public sealed class Ext2FileSystemType : FileSystemType
{
    public Ext2FileSystemType()
        : base("ext2", FileSystemFlags.RequiresDevice)
    {
    }

    protected override async ValueTask<VfsResult<SuperBlock>> FillSuperAsync(VirtualFileSystem vfs, MountRequest request)
    {
        BlockDevice device = request.Device!;
        if (device.LogicalBlockSize > Ext2SuperBlock.Size)
            return Fail(Errno.EINVAL, $"ext2 {device.Name}: {device.LogicalBlockSize}-byte logical blocks are larger than a 1 KiB block");
        Ext2SuperBlock record;
        var probe = new BufferCache(vfs.Cache, device, Ext2SuperBlock.Size);
        using (BufferLease lease = await probe.GetBlockAsync(Ext2SuperBlock.ByteOffset / Ext2SuperBlock.Size))
        {
            if (!lease.Ok)
            {
                await vfs.Cache.ReleaseAsync(probe.Space);
                return Fail(lease.Status == Errno.EINVAL ? Errno.EINVAL : lease.Status, $"ext2 {device.Name}: reading the superblock failed ({lease.Status})");
            }
            record = Ext2SuperBlock.Read(lease.Data);
        }
        await vfs.Cache.ReleaseAsync(probe.Space);
        string? invalid = Ext2Validation.CheckSuperBlock(record, device.CapacityBytes);
        if (invalid is not null)
            return Fail(Errno.EINVAL, $"ext2 {device.Name}: {invalid}");
        uint unknownIncompat = (uint)(record.FeatureIncompat & ~Ext2FeatureSupport.Incompat);
        if (unknownIncompat != 0)
            return Fail(Errno.EINVAL, $"ext2 {device.Name}: unsupported incompat feature(s) {Ext2FeatureSupport.Names(unknownIncompat, Ext2FeatureSupport.IncompatName)}; cannot mount");
        uint unknownRoCompat = (uint)(record.FeatureRoCompat & ~Ext2FeatureSupport.RoCompat);
        if (unknownRoCompat != 0 && (request.Flags & MountFlags.ReadOnly) == 0)
            return Fail(Errno.EROFS, $"ext2 {device.Name}: unsupported ro_compat feature(s) {Ext2FeatureSupport.Names(unknownRoCompat, Ext2FeatureSupport.RoCompatName)}; mount read-only");

        var buffers = new BufferCache(vfs.Cache, device, record.BlockSize);
        (Ext2GroupDescriptor[]? groups, Errno groupError, string groupMessage) = await ReadGroupsAsync(buffers, record);
        if (groups is null)
        {
            await vfs.Cache.ReleaseAsync(buffers.Space);
            return Fail(groupError, groupMessage);
        }
        var volume = new Ext2Volume(buffers, record, groups);
        var superBlock = new SuperBlock(this, device.Name, vfs.Simulation, vfs.Cache, device, record.BlockSize,
            MaxFileSize(record), request.Flags)
        {
            FileSystemInfo = volume,
            Operations = volume,
            RealTimeAtStartNs = vfs.Options.RealTimeAtStartNs,
        };
        volume.Attach(superBlock);
        VfsResult<Inode> root = await volume.GetRootAsync(vfs, superBlock);
        if (!root.Ok)
        {
            await volume.PutSuperAsync(superBlock);
            return root.Status;
        }
        if ((request.Flags & MountFlags.ReadOnly) == 0)
        {
            Errno started = await volume.BeginReadWriteAsync();
            if (started != Errno.None)
            {
                await volume.PutSuperAsync(superBlock);
                return Fail(started, $"ext2 {device.Name}: writing the superblock at read-write mount failed ({started})");
            }
        }
        superBlock.Root = DentryCache.CreateRoot(root.Value);
        return VfsResult<SuperBlock>.Success(superBlock);
    }

    private static async ValueTask<(Ext2GroupDescriptor[]? Groups, Errno Error, string Message)> ReadGroupsAsync(BufferCache buffers, Ext2SuperBlock record)
    {
        int blockSize = record.BlockSize;
        int perBlock = blockSize / Ext2GroupDescriptor.Size;
        var groups = new Ext2GroupDescriptor[record.GroupCount];
        long tableStart = record.FirstDataBlock + 1;
        for (int first = 0; first < groups.Length; first += perBlock)
        {
            long block = tableStart + first / perBlock;
            using BufferLease lease = await buffers.GetBlockAsync(block);
            if (!lease.Ok)
                return (null, lease.Status, $"ext2 {buffers.Device.Name}: reading group descriptor block {block} failed ({lease.Status})");
            for (int i = first; i < groups.Length && i < first + perBlock; i++)
            {
                Ext2GroupDescriptor group = Ext2GroupDescriptor.Read(lease.Data[((i - first) * Ext2GroupDescriptor.Size)..]);
                string? bad = Ext2Validation.CheckGroup(record, group, i);
                if (bad is not null)
                    return (null, Errno.EUCLEAN, $"ext2 {buffers.Device.Name}: group descriptor {i} in block {block}: {bad}");
                groups[i] = group;
            }
        }
        return (groups, Errno.None, "");
    }

    /// <summary>
    /// s_maxbytes (ext2_max_size): what 12 direct, indirect, double and triple indirect pointers reach. Revision 1
    /// without large_file is not capped: the first file past 2 GiB sets the feature (as Linux does); revision 0 has no
    /// i_size_high, so its files stay below 2 GiB.
    /// </summary>
    public static long MaxFileSize(Ext2SuperBlock record)
    {
        if (record.Revision < Ext2SuperBlock.DynamicRevision)
            return int.MaxValue;
        long per = record.BlockSize / 4;
        long blocks = Ext2Inode.DirectBlocks + per + per * per + per * per * per;
        // i_blocks counts 512-byte sectors in 32 bits, which caps the data (and the metadata blocks) a file may hold.
        long sectorCap = ((1L << 32) - 1) * 512 / record.BlockSize - (1 + 1 + per + 1 + per + per * per);
        return Math.Min(blocks, sectorCap) * record.BlockSize;
    }

    private static VfsResult<SuperBlock> Fail(Errno error, string message) => VfsResult<SuperBlock>.Fail(error, message);
}
