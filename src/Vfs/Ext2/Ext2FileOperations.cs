using Hardware.BlockLayer;

namespace Hardware.Vfs.Ext2;

/// <summary>
/// ext2 regular files: page-cache reads and writes. A write charges the blocks it will need against the free count
/// (blocks are allocated at writeback), so a full filesystem gives ENOSPC from write(2) itself. SEEK_DATA and
/// SEEK_HOLE read the block map (and the blocks written but not yet allocated), with block granularity.
/// </summary>
public sealed class Ext2FileOperations : PageCacheFileOperations
{
    public static Ext2FileOperations Instance { get; } = new();

    protected override Errno ReserveSpace(Inode inode, long position, ref int length) =>
        ((Ext2Volume)inode.SuperBlock.FileSystemInfo!).ReserveForWrite(inode, position, ref length);

    public override ValueTask<long> SeekDataOrHoleAsync(File file, long offset, bool data) =>
        offset >= file.Inode.Size
            ? new(-1L)
            : ((Ext2Volume)file.Inode.SuperBlock.FileSystemInfo!).SeekDataOrHoleAsync(file.Inode, offset, data);
}
