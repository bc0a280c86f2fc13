using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// ext2 regular files: page-cache reads and writes. A write charges the blocks it will need against the free count
/// (blocks are allocated at writeback), so a full filesystem gives ENOSPC from write(2) itself. O_DIRECT is accepted
/// (ext2_direct_IO), aligned to the device's logical block size; a direct write charges its blocks the same way and
/// allocates them before its bios go out. SEEK_DATA and SEEK_HOLE read the block map (and the blocks written but
/// not yet allocated), with block granularity.
/// </summary>
public sealed class Ext2FileOperations : PageCacheFileOperations
{
    public static Ext2FileOperations Instance { get; } = new();

    protected override bool SupportsDirectIO => true;

    protected override int DirectIOAlignment(Inode inode) => Volume(inode).Buffers.Device.LogicalBlockSize;

    protected override Errno ReserveSpace(Inode inode, long position, ref int length) =>
        Volume(inode).ReserveForWrite(inode, position, ref length);

    public override ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) =>
        offset >= file.Inode.Size
            ? new(-1L)
            : Volume(file.Inode).SeekDataOrHoleAsync(file.Inode, offset, data);

    private static Ext2Volume Volume(Inode inode) => (Ext2Volume)inode.SuperBlock.FileSystemInfo!;
}
