using Hardware.BlockLayer;
using Hardware.Vfs.Cache;

namespace Hardware.Vfs.Ext2.Mkfs;

/// <summary>
/// mkfs for ext2: lays a fresh filesystem out as `mke2fs -t ext2` does with Debian's defaults (sparse_super,
/// large_file, filetype, resize_inode, dir_index, ext_attr on revision 1; none on revision 0) and writes it through
/// the device's page cache: superblocks, descriptor tables, bitmaps, zeroed inode tables, the root directory,
/// lost+found and the resize inode. The device must not be mounted.
/// </summary>
public static class Ext2Mkfs
{
    /// <summary>
    /// The layout a device of <paramref name="deviceBytes"/> would get, without I/O. Bad options (block size, inode
    /// size, ratio or count, reserved percent, label, revision) and devices too small or too large fail with an
    /// errno and a message naming the option and its value.
    /// </summary>
    public static VfsResult<Ext2Layout> Plan(long deviceBytes, Ext2MkfsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        VfsResult<Ext2Layout> plan = Ext2MkfsPlanner.Plan(deviceBytes, options);
        return plan.Ok ? plan : VfsResult<Ext2Layout>.Fail(plan.Errno, $"mkfs.ext2: {plan.Message}");
    }

    /// <summary>
    /// Makes the filesystem on <paramref name="device"/> through <paramref name="cache"/> (the VFS's page cache, whose
    /// guest pages carry the writes), syncs it and returns the layout. Run inside a simulated process.
    /// </summary>
    public static async ValueTask<VfsResult<Ext2Layout>> FormatAsync(BlockDevice device, Ext2MkfsOptions options, PageCache cache, int processId = 0)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        VfsResult<Ext2Layout> plan = Ext2MkfsPlanner.Plan(device.CapacityBytes, options);
        if (!plan.Ok)
            return VfsResult<Ext2Layout>.Fail(plan.Errno, $"mkfs.ext2 {device.Name}: {plan.Message}");
        Ext2Layout layout = plan.Value;
        if (device.ReadOnly)
            return VfsResult<Ext2Layout>.Fail(Errno.EROFS, $"mkfs.ext2 {device.Name}: the device is read-only");
        if (device.LogicalBlockSize > layout.BlockSize)
            return VfsResult<Ext2Layout>.Fail(Errno.EINVAL, $"mkfs.ext2 {device.Name}: block size {layout.BlockSize} is smaller than the {device.LogicalBlockSize}-byte logical block");
        var image = new Ext2MkfsImage(layout, (uint)options.TimeSeconds);
        VfsResult written = await Ext2MkfsWriter.WriteAsync(cache, device, layout, image, processId);
        return written.Ok ? VfsResult<Ext2Layout>.Success(layout) : written;
    }
}
